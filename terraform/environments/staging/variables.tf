variable "region" {
  type        = string
  description = "AWS region of the environment, e.g. eu-central-1."

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-central-1."
  }
}

variable "availability_zones" {
  type        = list(string)
  description = "Availability zones of the region to use (production uses three, staging two)."

  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "Give at least two availability zones."
  }
}

variable "vpc_cidr_block" {
  type        = string
  description = "IPv4 range of the VPC."

  validation {
    condition     = can(cidrhost(var.vpc_cidr_block, 0))
    error_message = "vpc_cidr_block must be an IPv4 CIDR."
  }
}

variable "domain_name" {
  type        = string
  description = "Public host name of the API (e.g. api.staging.example.org)."

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name."
  }
}

variable "route53_zone_id" {
  type        = string
  description = "Route 53 hosted zone of domain_name."

  validation {
    condition     = can(regex("^Z[A-Z0-9]{4,32}$", var.route53_zone_id))
    error_message = "route53_zone_id must be a Route 53 hosted zone id (Z...)."
  }
}

variable "image_tag" {
  type        = string
  description = "Tag of the image in this environment's ECR repository: the git commit SHA the pipeline built."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,128}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be an immutable tag (the commit SHA), not latest."
  }
}

variable "alarm_emails" {
  type        = list(string)
  description = "Addresses that receive the alarms."
  default     = []
}

variable "bridge_key_id" {
  type        = string
  description = "Key id the API signs bridge requests with (its secret is generated here)."
  default     = "cloud-1"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,64}$", var.bridge_key_id))
    error_message = "bridge_key_id must be 1-64 of [A-Za-z0-9_.-]."
  }
}

variable "bridge_ca_certificate_pem" {
  type        = string
  description = "PEM of the CA that signed the bridge's certificate (the API trusts only it). Public, not secret."

  validation {
    condition     = startswith(trimspace(var.bridge_ca_certificate_pem), "-----BEGIN CERTIFICATE-----")
    error_message = "bridge_ca_certificate_pem must be a PEM certificate."
  }
}

variable "bridge_tls_certificate_pem" {
  type        = string
  description = "PEM certificate of the bridge, valid for bridge.<namespace> (see docs/infrastructure.md)."

  validation {
    condition     = startswith(trimspace(var.bridge_tls_certificate_pem), "-----BEGIN CERTIFICATE-----")
    error_message = "bridge_tls_certificate_pem must be a PEM certificate."
  }
}

variable "bridge_tls_private_key_pem" {
  type        = string
  description = "PEM private key of the bridge's certificate (passed in from a secret store: TF_VAR_bridge_tls_private_key_pem)."
  sensitive   = true

  validation {
    condition     = can(regex("-----BEGIN (EC |RSA )?PRIVATE KEY-----", var.bridge_tls_private_key_pem))
    error_message = "bridge_tls_private_key_pem must be a PEM private key."
  }
}

variable "rds_ca_bundle_pem" {
  type        = string
  description = "PEM bundle of the RDS certificate authorities (https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem): TLS to the database with verify-full."

  validation {
    condition     = startswith(trimspace(var.rds_ca_bundle_pem), "-----BEGIN CERTIFICATE-----")
    error_message = "rds_ca_bundle_pem must be a PEM bundle."
  }
}
