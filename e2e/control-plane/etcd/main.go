// Command etcd is etcd's own server main. etcd's server module carries replace
// directives, so "go install" refuses it; a one-file wrapper builds it from the proxy.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
