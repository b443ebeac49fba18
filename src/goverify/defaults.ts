// When the runtime's Go version cannot be read from its binary, predictions use this one (stated in reports).
// containerd 1.7.x and 2.x, the versions on most nodes, are built with go1.22 or later: messages carry the
// go1.20+ "tls: failed to verify certificate: " prefix. Override with --go-version.
export const DEFAULT_GO_VERSION = 'go1.22';
