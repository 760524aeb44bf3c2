/**
 * Outbound HTTP calls of bot commands ({@code HTTP.get}, {@code HTTP.post}, ...), and the policy
 * that keeps them from being turned against the service (README "Outbound HTTP calls"). Threat
 * model: an untrusted command chooses the URL, headers and body, and a remote server chooses its
 * answers, redirects and DNS records. Neither may reach anything inward of the function: loopback
 * (the Lambda runtime API), link-local (instance metadata, container credentials), private, CGNAT,
 * unique-local, multicast or reserved addresses, in any spelling (decimal, octal, hex or short
 * IPv4, bracketed, IPv4-mapped or NAT64 IPv6), directly, through a name, through a redirect, or
 * through a second lookup that answers differently (the host is resolved once and the connection
 * goes to the checked address). Nothing of the function travels with the request, every call is
 * bounded in size and time, and a refusal names the rule, never an inward address.
 */
package dev.botwebhooks.egress;
