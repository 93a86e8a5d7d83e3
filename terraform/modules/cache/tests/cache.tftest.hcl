mock_provider "aws" {}

variables {
  name                       = "symptom-diary-test"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
  allowed_security_group_ids = ["sg-0ccccccccccccccccc"]
  node_type                  = "cache.t4g.micro"
  auth_token                 = "testonlytokenofthirtytwocharsxx"
}

run "tls_auth_and_encryption_at_rest" {
  command = plan

  assert {
    condition     = aws_elasticache_replication_group.this.transit_encryption_enabled == true
    error_message = "Redis must require TLS."
  }

  assert {
    condition     = tostring(aws_elasticache_replication_group.this.at_rest_encryption_enabled) == "true"
    error_message = "Redis must be encrypted at rest."
  }

  assert {
    condition     = aws_elasticache_replication_group.this.automatic_failover_enabled == false
    error_message = "A single node cannot fail over."
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.redis[0].from_port == 6379
    error_message = "The API's group must reach 6379."
  }
}

run "replicas_fail_over_across_zones" {
  command = plan

  variables {
    node_count = 2
  }

  assert {
    condition     = aws_elasticache_replication_group.this.automatic_failover_enabled && aws_elasticache_replication_group.this.multi_az_enabled
    error_message = "Two nodes must fail over automatically across zones."
  }
}

run "rejects_a_token_redis_does_not_accept" {
  command = plan

  variables {
    auth_token = "has spaces and @ signs in it......"
  }

  expect_failures = [var.auth_token]
}
