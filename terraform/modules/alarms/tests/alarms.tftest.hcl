mock_provider "aws" {}

variables {
  name                     = "symptom-diary-test"
  alarm_emails             = ["oncall@example.org"]
  load_balancer_arn_suffix = "app/symptom-diary-test/0123456789abcdef"
  target_group_arn_suffix  = "targetgroup/symptom-diary-test-api/0123456789abcdef"
  cluster_name             = "symptom-diary-test"
  service_names            = { api = "symptom-diary-test-api", bridge = "symptom-diary-test-bridge" }
  db_instance_identifier   = "symptom-diary-test"
  db_allocated_storage_gb  = 20
}

run "every_alarm_notifies_the_topic" {
  command = plan

  assert {
    condition     = aws_cloudwatch_metric_alarm.p95_latency.extended_statistic == "p95" && aws_cloudwatch_metric_alarm.p95_latency.metric_name == "TargetResponseTime"
    error_message = "Latency is alarmed on p95."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.unhealthy_hosts.metric_name == "UnHealthyHostCount"
    error_message = "Unhealthy hosts are alarmed."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.db_free_storage.threshold == 3221225472
    error_message = "15% of 20 GiB is 3 GiB."
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.service_cpu)) == toset(["api", "bridge"])
    error_message = "Each service has a CPU alarm."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.target_5xx.metric_name == "HTTPCode_Target_5XX_Count" && aws_cloudwatch_metric_alarm.elb_5xx.metric_name == "HTTPCode_ELB_5XX_Count"
    error_message = "5xx of the targets and of the load balancer are alarmed."
  }

  assert {
    condition     = aws_sns_topic_subscription.email["oncall@example.org"].protocol == "email"
    error_message = "The on-call address is subscribed."
  }
}

run "rejects_a_bad_address" {
  command = plan

  variables {
    alarm_emails = ["not-an-address"]
  }

  expect_failures = [var.alarm_emails]
}
