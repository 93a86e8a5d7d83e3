variable "name" {
  type        = string
  description = "Name of the ECS cluster (e.g. symptom-diary-staging)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,50}[a-z0-9]$", var.name))
    error_message = "name must be 3-52 characters of lowercase letters, digits and hyphens."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC of the private DNS namespace the services register in."
}

variable "namespace" {
  type        = string
  description = "Private DNS namespace (Cloud Map) the services are found under, e.g. staging.internal: the API reaches the bridge at bridge.<namespace>."

  validation {
    condition     = can(regex("^[a-z0-9-]+(\\.[a-z0-9-]+)+$", var.namespace))
    error_message = "namespace must be a DNS name with at least two labels."
  }
}

variable "container_insights" {
  type        = bool
  description = "CloudWatch Container Insights (per-task metrics; costs extra)."
  default     = true
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
