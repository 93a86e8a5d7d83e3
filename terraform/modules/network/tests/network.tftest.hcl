mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  name               = "symptom-diary-test"
  cidr_block         = "10.20.0.0/16"
  availability_zones = ["eu-central-1a", "eu-central-1b"]
}

run "subnets_per_zone_and_private_tier_without_public_addresses" {
  command = plan

  assert {
    condition     = length(aws_subnet.public) == 2 && length(aws_subnet.private) == 2
    error_message = "Expected one public and one private subnet per availability zone."
  }

  assert {
    condition     = alltrue([for s in aws_subnet.public : s.map_public_ip_on_launch == false])
    error_message = "Public subnets must not hand out public addresses automatically."
  }

  assert {
    condition     = aws_subnet.private[0].cidr_block == "10.20.128.0/20" && aws_subnet.public[1].cidr_block == "10.20.16.0/20"
    error_message = "Subnet ranges are not the expected /20 slices of the VPC."
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 2
    error_message = "Without single_nat_gateway every zone gets its own NAT gateway."
  }

  assert {
    condition     = aws_flow_log.this.traffic_type == "REJECT"
    error_message = "Rejected traffic must be logged."
  }
}

run "single_nat_gateway_for_small_environments" {
  command = plan

  variables {
    single_nat_gateway = true
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1
    error_message = "single_nat_gateway must create exactly one NAT gateway."
  }
}

run "rejects_a_single_zone" {
  command = plan

  variables {
    availability_zones = ["eu-central-1a"]
  }

  expect_failures = [var.availability_zones]
}

run "rejects_a_bad_cidr" {
  command = plan

  variables {
    cidr_block = "10.20.0.0/8"
  }

  expect_failures = [var.cidr_block]
}
