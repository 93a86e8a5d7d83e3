terraform {
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.7"
    }
  }

  # Partial configuration: the bucket, key and region come from backend.hcl at init time
  # (terraform init -backend-config=backend.hcl), see docs/infrastructure.md. Locking uses the
  # S3 lock file (use_lockfile), no DynamoDB table.
  backend "s3" {}
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}
