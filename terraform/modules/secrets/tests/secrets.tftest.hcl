mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_region" {
    defaults = {
      name = "eu-central-1"
    }
  }
}

variables {
  name         = "symptom-diary-test"
  secret_names = ["JWT_SECRET", "DATABASE_URL"]
  secret_values = {
    JWT_SECRET   = "test-only-jwt-value"
    DATABASE_URL = "postgres://user:test-only@db.internal:5432/diary"
  }
}

run "one_encrypted_secret_per_name" {
  command = plan

  assert {
    condition     = length(aws_secretsmanager_secret.this) == 2 && aws_secretsmanager_secret.this["JWT_SECRET"].name == "symptom-diary-test/JWT_SECRET"
    error_message = "Expected one secret per name, named <name>/<SECRET>."
  }

  assert {
    condition     = aws_kms_key.this.enable_key_rotation == true
    error_message = "The KMS key must rotate."
  }
}

run "outputs_an_arn_per_secret" {
  assert {
    condition     = toset(keys(output.secret_arns)) == toset(["JWT_SECRET", "DATABASE_URL"])
    error_message = "secret_arns must name every secret."
  }
}

run "rejects_names_that_are_not_environment_variables" {
  command = plan

  variables {
    secret_names  = ["jwt-secret"]
    secret_values = { "jwt-secret" = "x" }
  }

  expect_failures = [var.secret_names]
}
