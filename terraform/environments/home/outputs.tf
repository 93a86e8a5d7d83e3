output "url" {
  description = "Public base URL of the home deployment."
  value       = "https://${var.domain_name}"
}

output "containers" {
  description = "Names of the containers running on the Pi."
  value = concat(
    [docker_container.nginx.name, docker_container.bridge.name, docker_container.app_db.name, docker_container.redis.name],
    [for c in docker_container.api : c.name],
    docker_container.postgres[*].name,
  )
}

output "published_ports" {
  description = "Host ports published on the Pi (nginx only: 80 and 443)."
  value       = [for p in docker_container.nginx.ports : p.external]
}

output "networks" {
  description = "Docker networks and their subnets."
  value       = { for k, n in local.networks : k => n.subnet }
}

output "dns_record_name" {
  description = "The DNS record pointing at the router."
  value       = cloudflare_dns_record.home.name
}
