mock_provider "aws" {}

variables {
  name      = "symptom-diary-test"
  vpc_id    = "vpc-0123456789abcdef0"
  namespace = "test.internal"
}

run "fargate_cluster_with_insights_and_a_namespace" {
  command = plan

  assert {
    condition     = one(aws_ecs_cluster.this.setting).value == "enabled"
    error_message = "Container Insights is on by default."
  }

  assert {
    condition     = aws_service_discovery_private_dns_namespace.this.name == "test.internal"
    error_message = "The services register under the given namespace."
  }
}

run "rejects_a_single_label_namespace" {
  command = plan

  variables {
    namespace = "internal"
  }

  expect_failures = [var.namespace]
}
