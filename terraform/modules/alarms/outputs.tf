output "topic_arn" {
  description = "SNS topic every alarm notifies (subscribe chat or paging integrations to it)."
  value       = aws_sns_topic.alarms.arn
}

output "alarm_names" {
  description = "Names of all alarms."
  value = concat(
    [
      aws_cloudwatch_metric_alarm.target_5xx.alarm_name,
      aws_cloudwatch_metric_alarm.elb_5xx.alarm_name,
      aws_cloudwatch_metric_alarm.p95_latency.alarm_name,
      aws_cloudwatch_metric_alarm.unhealthy_hosts.alarm_name,
      aws_cloudwatch_metric_alarm.db_free_storage.alarm_name,
      aws_cloudwatch_metric_alarm.db_cpu.alarm_name,
    ],
    [for alarm in aws_cloudwatch_metric_alarm.service_cpu : alarm.alarm_name],
  )
}
