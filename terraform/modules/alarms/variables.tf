variable "name" {
  type        = string
  description = "Prefix of the alarm names and the SNS topic (e.g. symptom-diary-staging)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,50}[a-z0-9]$", var.name))
    error_message = "name must be 3-52 characters of lowercase letters, digits and hyphens."
  }
}

variable "alarm_emails" {
  type        = list(string)
  description = "Addresses subscribed to the alarm topic (each confirms by mail)."
  default     = []

  validation {
    condition     = alltrue([for e in var.alarm_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "alarm_emails must be e-mail addresses."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "KMS key encrypting the SNS topic (CloudWatch must be allowed to use it); null uses alias/aws/sns."
  default     = null
}

variable "load_balancer_arn_suffix" {
  type        = string
  description = "ARN suffix of the load balancer (dimension LoadBalancer)."
}

variable "target_group_arn_suffix" {
  type        = string
  description = "ARN suffix of the API target group (dimension TargetGroup)."
}

variable "cluster_name" {
  type        = string
  description = "ECS cluster of the services."
}

variable "service_names" {
  type        = map(string)
  description = "ECS services to watch for CPU: a short key (api, bridge) => service name. Keys must be known at plan time."
}

variable "db_instance_identifier" {
  type        = string
  description = "RDS instance to watch (dimension DBInstanceIdentifier)."
}

variable "db_allocated_storage_gb" {
  type        = number
  description = "Allocated storage of the instance in GiB: the free-storage alarm fires below free_storage_percent of it."
}

variable "thresholds" {
  type = object({
    http_5xx_per_5_minutes = optional(number, 10)
    p95_latency_seconds    = optional(number, 1)
    cpu_percent            = optional(number, 80)
    free_storage_percent   = optional(number, 15)
    db_cpu_percent         = optional(number, 80)
  })
  description = "Alarm thresholds."
  default     = {}

  validation {
    condition     = var.thresholds.free_storage_percent > 0 && var.thresholds.free_storage_percent < 100 && var.thresholds.cpu_percent > 0 && var.thresholds.cpu_percent <= 100
    error_message = "Percent thresholds must be between 0 and 100."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
