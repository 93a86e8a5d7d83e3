mock_provider "aws" {}

variables {
  name              = "symptom-diary-test"
  vpc_id            = "vpc-0123456789abcdef0"
  vpc_cidr_block    = "10.20.0.0/16"
  public_subnet_ids = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
  domain_name       = "api.test.example.org"
  route53_zone_id   = "Z0123456789ABCDEFGHIJ"
}

run "https_with_tls12_plus_and_redirect" {
  command = plan

  assert {
    condition     = aws_lb_listener.https.protocol == "HTTPS" && aws_lb_listener.https.ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    error_message = "The HTTPS listener must use the TLS 1.2+ policy."
  }

  assert {
    condition     = one(aws_lb_listener.http.default_action).type == "redirect" && one(one(aws_lb_listener.http.default_action).redirect).protocol == "HTTPS"
    error_message = "Port 80 must redirect to HTTPS."
  }

  assert {
    condition     = one(aws_lb_target_group.api.health_check).path == "/health/ready"
    error_message = "Targets must be probed on readiness."
  }

  assert {
    condition     = aws_lb.this.drop_invalid_header_fields == true
    error_message = "Invalid header fields must be dropped."
  }

  assert {
    condition     = aws_vpc_security_group_egress_rule.to_targets.from_port == 3000 && aws_vpc_security_group_egress_rule.to_targets.cidr_ipv4 == "10.20.0.0/16"
    error_message = "The load balancer may only talk to the API port inside the VPC."
  }

  assert {
    condition     = one(aws_lb_listener_rule.hide_metrics.action).fixed_response[0].status_code == "404"
    error_message = "/metrics must not be reachable from outside."
  }
}

run "rejects_a_tls10_policy" {
  command = plan

  variables {
    ssl_policy = "ELBSecurityPolicy-2016-08"
  }

  expect_failures = [var.ssl_policy]
}
