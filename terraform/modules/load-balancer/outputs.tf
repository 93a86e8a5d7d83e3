output "security_group_id" {
  description = "Security group of the load balancer (let it reach the API tasks)."
  value       = aws_security_group.this.id
}

output "target_group_arn" {
  description = "Target group the API service registers its tasks in."
  value       = aws_lb_target_group.api.arn
}

output "arn_suffix" {
  description = "ARN suffix of the load balancer (CloudWatch dimension LoadBalancer)."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the target group (CloudWatch dimension TargetGroup)."
  value       = aws_lb_target_group.api.arn_suffix
}

output "resource_label" {
  description = "app/<lb>/<id>/targetgroup/<tg>/<id>, for request-count autoscaling."
  value       = "${aws_lb.this.arn_suffix}/${aws_lb_target_group.api.arn_suffix}"
}

output "dns_name" {
  description = "DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "url" {
  description = "Public base URL of the API."
  value       = "https://${var.domain_name}"
}

output "ssl_policy" {
  description = "TLS policy of the HTTPS listener."
  value       = aws_lb_listener.https.ssl_policy
}
