variable "name" {
  type        = string
  description = "Name of the service, its task family, log group and security group (e.g. symptom-diary-staging-api)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,50}[a-z0-9]$", var.name))
    error_message = "name must be 3-52 characters of lowercase letters, digits and hyphens."
  }
}

variable "container_name" {
  type        = string
  description = "Name of the container in the task (api or bridge)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}$", var.container_name))
    error_message = "container_name must be a short lowercase name."
  }
}

variable "cluster_arn" {
  type        = string
  description = "ARN of the ECS cluster."
}

variable "cluster_name" {
  type        = string
  description = "Name of the ECS cluster (for autoscaling's resource id)."
}

variable "vpc_id" {
  type        = string
  description = "VPC of the service's security group."
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets the tasks run in (no public addresses)."

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "Give at least one subnet."
  }
}

variable "image" {
  type        = string
  description = "Image reference with an immutable tag or digest (<registry>/<repo>:<git sha>)."

  validation {
    condition     = can(regex("^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$", var.image)) && !endswith(var.image, ":latest")
    error_message = "image must be <registry>/<repository>:<tag> or @sha256:<digest>, and not :latest."
  }
}

variable "command" {
  type        = list(string)
  description = "Command overriding the image's (the bridge runs node dist/src/bridge-main.js); null keeps the image's (the API)."
  default     = null
}

variable "cpu_architecture" {
  type        = string
  description = "ARM64 (Graviton, cheaper; the image is multi-arch) or X86_64."
  default     = "ARM64"

  validation {
    condition     = contains(["ARM64", "X86_64"], var.cpu_architecture)
    error_message = "cpu_architecture must be ARM64 or X86_64."
  }
}

variable "cpu" {
  type        = number
  description = "Task CPU units (256 = 0.25 vCPU)."
  default     = 256

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.cpu)
    error_message = "cpu must be a Fargate size: 256, 512, 1024, 2048 or 4096."
  }
}

variable "memory" {
  type        = number
  description = "Task memory in MiB (must fit the CPU size: 512-2048 for 256, 1024-4096 for 512, ...)."
  default     = 512

  validation {
    condition     = var.memory >= 512 && var.memory <= 30720
    error_message = "memory must be between 512 and 30720 MiB."
  }
}

variable "desired_count" {
  type        = number
  description = "Tasks at creation (autoscaling moves it between its bounds afterwards)."

  validation {
    condition     = var.desired_count >= 1 && var.desired_count <= 50
    error_message = "desired_count must be 1-50."
  }
}

variable "container_port" {
  type        = number
  description = "Port the container listens on (3000 API, 4000 bridge)."

  validation {
    condition     = var.container_port >= 1024 && var.container_port <= 65535
    error_message = "container_port must be an unprivileged port (1024-65535)."
  }
}

variable "environment" {
  type        = map(string)
  description = "Plain (non-secret) environment variables of the container."
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.environment) : !can(regex("(SECRET|PASSWORD|TOKEN|PRIVATE|KEY_PEM|KEYS$|DATABASE_URL$|REDIS_URL$)", k))])
    error_message = "Secret-looking variables (SECRET, PASSWORD, TOKEN, private keys, KEYS, database and Redis URLs) belong in secrets, not environment."
  }
}

variable "secrets" {
  type        = map(string)
  description = "Environment variables read from Secrets Manager: variable name => secret ARN."
  default     = {}
}

variable "kms_key_arn" {
  type        = string
  description = "KMS key of the secrets and the log group (the execution role may decrypt with it)."
}

variable "log_retention_days" {
  type        = number
  description = "Days the container logs are kept."
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts."
  }
}

variable "health_check_command" {
  type        = list(string)
  description = "Container health check ([\"CMD\", ...] or [\"CMD-SHELL\", \"...\"]); it should exercise the service (readiness), not just the process."

  validation {
    condition     = length(var.health_check_command) >= 2 && contains(["CMD", "CMD-SHELL"], var.health_check_command[0])
    error_message = "health_check_command must start with CMD or CMD-SHELL and name a command."
  }
}

variable "ingress_security_group_ids" {
  type        = list(string)
  description = "Security groups allowed to reach container_port (the load balancer for the API, the API for the bridge)."

  validation {
    condition     = length(var.ingress_security_group_ids) >= 1
    error_message = "Name at least one security group that may reach the service."
  }
}

variable "target_group_arn" {
  type        = string
  description = "Load balancer target group to register the tasks in; null for internal services."
  default     = null
}

variable "service_discovery" {
  type = object({
    namespace_id = string
  })
  description = "Cloud Map namespace to register the service in (<container_name>.<namespace>); null for none. An object so that whether to register is known at plan time even when the id is not."
  default     = null
}

variable "autoscaling" {
  type = object({
    min_tasks              = number
    max_tasks              = number
    cpu_target_percent     = number
    requests_per_target    = optional(number)
    alb_resource_label     = optional(string)
    scale_in_cooldown_sec  = optional(number, 300)
    scale_out_cooldown_sec = optional(number, 60)
  })
  description = "Target-tracking autoscaling on CPU and, with requests_per_target (and alb_resource_label), on requests per task; null for a fixed count."
  default     = null

  validation {
    condition = var.autoscaling == null ? true : (
      var.autoscaling.min_tasks >= 1 && var.autoscaling.max_tasks >= var.autoscaling.min_tasks &&
      var.autoscaling.cpu_target_percent >= 10 && var.autoscaling.cpu_target_percent <= 90 &&
      (var.autoscaling.requests_per_target == null || var.autoscaling.alb_resource_label != null)
    )
    error_message = "autoscaling needs 1 <= min_tasks <= max_tasks, a CPU target of 10-90 percent, and alb_resource_label with requests_per_target."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
