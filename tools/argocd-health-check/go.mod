module tollgate.dev/tools/argocd-health-check

go 1.26

require github.com/yuin/gopher-lua v1.1.2
