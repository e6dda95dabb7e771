// kstatus-check prints what Flux (and kpt, Config Sync, cli-utils' apply) concludes about one
// object: the status that sigs.k8s.io/cli-utils/pkg/kstatus computes from it. The object comes as
// JSON on stdin (as `kubectl get -o json` prints it); the output is one line, "<Status>\t<message>".
package main

import (
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

func main() {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail("cannot read stdin: %v", err)
	}
	object := &unstructured.Unstructured{}
	if err := object.UnmarshalJSON(data); err != nil {
		fail("stdin is not a Kubernetes object in JSON: %v", err)
	}
	result, err := status.Compute(object)
	if err != nil {
		fail("kstatus cannot compute a status: %v", err)
	}
	fmt.Printf("%s\t%s\n", result.Status, result.Message)
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "kstatus-check: "+format+"\n", args...)
	os.Exit(2)
}
