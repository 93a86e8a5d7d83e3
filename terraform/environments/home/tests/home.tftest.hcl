# Plans the home deployment with mocked Docker and Cloudflare providers (no Pi, no token): the
# topology is the one of docker/compose.yml.

mock_provider "docker" {}
mock_provider "cloudflare" {}

variables {
  docker_host        = "ssh://pi@pi4.lan"
  app_tag            = "0123456789abcdef0123456789abcdef01234567"
  cloudflare_zone_id = "0123456789abcdef0123456789abcdef"
  domain_name        = "diary.example.org"
  public_ipv4        = "203.0.113.10"
}

run "production_topology" {
  command = plan

  assert {
    condition     = output.published_ports == [80, 443]
    error_message = "nginx publishes 80 and 443."
  }

  assert {
    condition     = alltrue([for c in concat([docker_container.bridge, docker_container.app_db, docker_container.redis], values(docker_container.api)) : length(c.ports) == 0])
    error_message = "Only nginx publishes ports."
  }

  assert {
    condition     = length(docker_container.postgres) == 0
    error_message = "Production reads the Pi 3B's diary: no stand-in."
  }

  assert {
    condition     = toset([for n in docker_container.bridge.networks_advanced : n.name]) == toset(["symptom-diary_backend", "symptom-diary_diary", "symptom-diary_monitoring"])
    error_message = "The bridge is on backend, diary and monitoring."
  }

  assert {
    condition     = alltrue([for c in values(docker_container.api) : !contains([for n in c.networks_advanced : n.name], "symptom-diary_diary")])
    error_message = "The API instances never reach the diary network."
  }

  assert {
    condition     = toset([for n in docker_container.nginx.networks_advanced : n.name]) == toset(["symptom-diary_edge"])
    error_message = "nginx is on the edge network only."
  }

  assert {
    condition     = docker_network.this["backend"].internal == true
    error_message = "The backend network has no way out."
  }

  assert {
    condition     = contains(docker_container.api["api-1"].env, "TRUST_PROXY=172.30.10.0/24") && contains(docker_container.api["api-2"].env, "REDIS_URL=redis://redis:6379")
    error_message = "The API trusts the edge network's proxy and shares Redis."
  }

  assert {
    condition     = alltrue([for m in docker_container.bridge.mounts : m.read_only]) && contains([for m in docker_container.bridge.mounts : m.target], "/run/secrets/diary_ca")
    error_message = "The bridge mounts its secrets read-only, the diary's CA included."
  }

  assert {
    condition     = cloudflare_dns_record.home.type == "A" && cloudflare_dns_record.home.proxied == false
    error_message = "An unproxied A record points at the router."
  }
}

run "development_with_the_diary_stand_in" {
  command = plan

  variables {
    diary_stand_in = true
  }

  assert {
    condition     = length(docker_container.postgres) == 1 && [for n in docker_container.postgres[0].networks_advanced : n.name] == ["symptom-diary_diary"]
    error_message = "The stand-in is on the diary network only."
  }

  assert {
    condition     = docker_network.this["diary"].internal == true
    error_message = "With the stand-in the diary network is internal."
  }
}

run "rejects_a_non_ssh_host" {
  command = plan

  variables {
    docker_host = "tcp://pi4.lan:2375"
  }

  expect_failures = [var.docker_host]
}
