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
}

variables {
  name                       = "symptom-diary-test-api"
  container_name             = "api"
  cluster_arn                = "arn:aws:ecs:eu-central-1:123456789012:cluster/symptom-diary-test"
  cluster_name               = "symptom-diary-test"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
  image                      = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/symptom-diary:0123abc"
  desired_count              = 2
  container_port             = 3000
  kms_key_arn                = "arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  health_check_command       = ["CMD-SHELL", "true"]
  ingress_security_group_ids = ["sg-0ccccccccccccccccc"]
  target_group_arn           = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/api/0123456789abcdef"
  environment                = { NODE_ENV = "production" }
  secrets                    = { JWT_SECRET = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:symptom-diary-test/JWT_SECRET-AbCdEf" }
  autoscaling = {
    min_tasks           = 2
    max_tasks           = 6
    cpu_target_percent  = 60
    requests_per_target = 400
    alb_resource_label  = "app/symptom-diary-test/0123456789abcdef/targetgroup/api/0123456789abcdef"
  }
}

run "api_behind_the_load_balancer_with_autoscaling" {
  command = plan

  assert {
    condition     = one(aws_ecs_service.this.network_configuration).assign_public_ip == false
    error_message = "Tasks must not get public addresses."
  }

  assert {
    condition     = one(aws_ecs_service.this.load_balancer).container_port == 3000
    error_message = "The API must register in the target group on 3000."
  }

  assert {
    condition     = aws_appautoscaling_target.this[0].min_capacity == 2 && aws_appautoscaling_target.this[0].max_capacity == 6
    error_message = "Autoscaling bounds not applied."
  }

  assert {
    condition     = length(aws_appautoscaling_policy.cpu) == 1 && length(aws_appautoscaling_policy.requests) == 1
    error_message = "Expected CPU and request-count target tracking."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].readonlyRootFilesystem == true
    error_message = "The root file system must be read-only."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].secrets[0].name == "JWT_SECRET"
    error_message = "Secrets must be injected from Secrets Manager."
  }

  assert {
    condition     = !contains(keys(jsondecode(aws_ecs_task_definition.this.container_definitions)[0]), "command")
    error_message = "Without a command the image's default must run."
  }

  assert {
    condition     = one(aws_ecs_service.this.deployment_circuit_breaker).rollback == true
    error_message = "Failed deployments must roll back."
  }
}

run "internal_bridge_with_a_fixed_count_and_a_dns_name" {
  command = plan

  variables {
    name              = "symptom-diary-test-bridge"
    container_name    = "bridge"
    desired_count     = 1
    container_port    = 4000
    command           = ["node", "dist/src/bridge-main.js"]
    target_group_arn  = null
    autoscaling       = null
    service_discovery = { namespace_id = "ns-0123456789abcdef" }
  }

  assert {
    condition     = length(aws_ecs_service.this.load_balancer) == 0 && length(aws_appautoscaling_target.this) == 0
    error_message = "The bridge is neither behind the load balancer nor autoscaled."
  }

  assert {
    condition     = aws_service_discovery_service.this[0].name == "bridge"
    error_message = "The bridge registers as bridge.<namespace>."
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.this[0].referenced_security_group_id == "sg-0ccccccccccccccccc" && aws_vpc_security_group_ingress_rule.this[0].from_port == 4000
    error_message = "Only the named group may reach 4000."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].command[1] == "dist/src/bridge-main.js"
    error_message = "The bridge's command must be set."
  }
}

run "rejects_latest_and_secrets_in_plain_environment" {
  command = plan

  variables {
    image       = "ghcr.io/example/symptom-diary:latest"
    environment = { JWT_SECRET = "oops" }
  }

  expect_failures = [var.image, var.environment]
}
