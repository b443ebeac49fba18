// A k3s registries.yaml as an operator writes it (a mirror with a rewrite, TLS and auth for the mirror): the k3s
// reader's tests and the registries.yaml fuzz start from it.
export const OPERATOR_REGISTRIES_YAML = `# operator's file
mirrors:
  reg.test:5000:
    endpoint:
      - "https://mirror.test:5443"
    rewrite:
      "^library/(.*)": "mirrored/$1"
configs:
  "mirror.test:5443":
    tls:
      ca_file: /etc/ssl/reg-ca.pem
      insecure_skip_verify: false
    auth:
      username: robot
      password: "s3cret-value"
`;
