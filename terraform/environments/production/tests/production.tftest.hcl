# Plans the whole production composition with mocked providers (no AWS account, no credentials):
# the modules wire together, the variables validate, and the production sizes hold.

mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_data "aws_region" {
    defaults = {
      name = "eu-central-1"
    }
  }

  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
}

mock_provider "random" {}

variables {
  region                     = "eu-central-1"
  availability_zones         = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
  vpc_cidr_block             = "10.30.0.0/16"
  domain_name                = "api.example.org"
  route53_zone_id            = "Z0123456789ABCDEFGHIJ"
  image_tag                  = "0123456789abcdef0123456789abcdef01234567"
  alarm_emails               = ["oncall@example.org"]
  bridge_ca_certificate_pem  = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
  bridge_tls_certificate_pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
  bridge_tls_private_key_pem = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"
  rds_ca_bundle_pem          = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
}

run "production_plan" {
  command = plan

  assert {
    condition     = output.database_publicly_accessible == false
    error_message = "The database must not be publicly accessible."
  }

  assert {
    condition     = output.database_deletion_protection == true
    error_message = "Production must refuse to delete the database."
  }

  assert {
    condition     = output.api_autoscaling_bounds.min >= 3 && output.api_autoscaling_bounds.max > output.api_autoscaling_bounds.min
    error_message = "The production API runs at least three tasks and can grow."
  }

  assert {
    condition     = output.bridge_desired_count == 1
    error_message = "The bridge runs one task."
  }

  assert {
    condition     = output.tls_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    error_message = "The listener must use the TLS 1.2+ policy."
  }

  assert {
    condition     = output.api_url == "https://api.example.org"
    error_message = "The API's URL is the domain over HTTPS."
  }

  assert {
    condition     = output.bridge_url == "https://bridge.production.symptom-diary.internal:4000"
    error_message = "The API reaches the bridge by its private DNS name over TLS."
  }

  assert {
    condition     = random_password.jwt.length >= 32 && random_password.database.special == false
    error_message = "Generated secrets must be long enough and URL-safe."
  }
}

run "rejects_latest" {
  command = plan

  variables {
    image_tag = "latest"
  }

  expect_failures = [var.image_tag]
}
