variable "name" {
  type        = string
  description = "Name of the load balancer and its companions (at most 28 characters: target group names add a suffix)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,26}[a-z0-9]$", var.name))
    error_message = "name must be 3-28 characters of lowercase letters, digits and hyphens."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC of the load balancer and its target group."
}

variable "vpc_cidr_block" {
  type        = string
  description = "IPv4 range of the VPC: the load balancer may only reach the targets' port inside it."

  validation {
    condition     = can(cidrhost(var.vpc_cidr_block, 0))
    error_message = "vpc_cidr_block must be an IPv4 CIDR."
  }
}

variable "public_subnet_ids" {
  type        = list(string)
  description = "Public subnets (two or more zones) the load balancer listens in."

  validation {
    condition     = length(var.public_subnet_ids) >= 2
    error_message = "An application load balancer needs subnets in at least two zones."
  }
}

variable "domain_name" {
  type        = string
  description = "Public host name of the API (e.g. api.staging.example.org): the certificate's name and the DNS alias."

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name."
  }
}

variable "route53_zone_id" {
  type        = string
  description = "Route 53 hosted zone holding domain_name (certificate validation records and the alias)."

  validation {
    condition     = can(regex("^Z[A-Z0-9]{4,32}$", var.route53_zone_id))
    error_message = "route53_zone_id must be a Route 53 hosted zone id (Z...)."
  }
}

variable "ssl_policy" {
  type        = string
  description = "TLS policy of the HTTPS listener: TLS 1.3 with 1.2 fallback, forward-secret ciphers only."
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition = contains([
      "ELBSecurityPolicy-TLS13-1-2-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
      "ELBSecurityPolicy-TLS13-1-3-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    ], var.ssl_policy)
    error_message = "ssl_policy must be a TLS 1.2+ policy with forward secrecy (ELBSecurityPolicy-TLS13-1-2-2021-06 or stricter)."
  }
}

variable "target_port" {
  type        = number
  description = "Port of the API tasks."
  default     = 3000
}

variable "health_check_path" {
  type        = string
  description = "Readiness path the target group probes (the API's /health/ready checks its dependencies)."
  default     = "/health/ready"

  validation {
    condition     = startswith(var.health_check_path, "/")
    error_message = "health_check_path must start with /."
  }
}

variable "idle_timeout_seconds" {
  type        = number
  description = "Idle timeout of client connections (below the API's keep-alive timeout)."
  default     = 60

  validation {
    condition     = var.idle_timeout_seconds >= 1 && var.idle_timeout_seconds <= 4000
    error_message = "idle_timeout_seconds must be 1-4000."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to delete the load balancer (production)."
  default     = false
}

variable "access_logs_bucket" {
  type        = string
  description = "S3 bucket for access logs (with the ELB log-delivery policy); null turns them off."
  default     = null
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
