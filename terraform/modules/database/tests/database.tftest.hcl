mock_provider "aws" {}

variables {
  name                       = "symptom-diary-test"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
  allowed_security_group_ids = ["sg-0ccccccccccccccccc"]
  instance_class             = "db.t4g.micro"
  master_password            = "a-test-only-value-of-thirty-two-chars"
}

run "private_encrypted_postgres_15_with_backups" {
  command = plan

  assert {
    condition     = aws_db_instance.this.publicly_accessible == false
    error_message = "The database must never be publicly accessible."
  }

  assert {
    condition     = aws_db_instance.this.storage_encrypted == true
    error_message = "Storage must be encrypted."
  }

  assert {
    condition     = aws_db_instance.this.engine == "postgres" && startswith(aws_db_instance.this.engine_version, "15")
    error_message = "Expected PostgreSQL 15."
  }

  assert {
    condition     = aws_db_instance.this.backup_retention_period >= 1
    error_message = "Automated backups must be on."
  }

  assert {
    condition     = one([for p in aws_db_parameter_group.this.parameter : p.value if p.name == "rds.force_ssl"]) == "1"
    error_message = "TLS must be forced (rds.force_ssl=1)."
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.postgres) == 1 && aws_vpc_security_group_ingress_rule.postgres[0].from_port == 5432
    error_message = "Only the allowed security group may reach 5432."
  }

  assert {
    condition     = aws_db_instance.this.deletion_protection == true && aws_db_instance.this.final_snapshot_identifier == "symptom-diary-test-final"
    error_message = "By default the instance is protected and leaves a final snapshot."
  }
}

run "rejects_another_major_version" {
  command = plan

  variables {
    engine_version = "16.2"
  }

  expect_failures = [var.engine_version]
}

run "rejects_turning_backups_off" {
  command = plan

  variables {
    backup_retention_days = 0
  }

  expect_failures = [var.backup_retention_days]
}

run "rejects_a_short_password" {
  command = plan

  variables {
    master_password = "short"
  }

  expect_failures = [var.master_password]
}
