/**
 * Who may use Sharkfin: API keys with roles (full, read), the browser login and its cookie, the same-origin rule
 * for state-changing requests, and the security headers (Content-Security-Policy) on every answer. Entry classes:
 * {@link dev.sharkfin.security.AccessFilter} (in front of everything the servlet container serves) and {@link
 * dev.sharkfin.security.SecurityConfig}.
 *
 * <p>Depends on no other Sharkfin package and none depends on it: access rules are independent of what the
 * endpoints do ({@code ArchitectureTest}).
 */
package dev.sharkfin.security;
