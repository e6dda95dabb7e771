// Demo workload for bin/cluster.
//
//	demo sidecar FILE   write FILE (time stamp), serve "hello from the sidecar" on :8080, then
//	                    sleep until SIGTERM
//	demo main FILE      report whether FILE exists (the sidecar started first), GET the API server's
//	                    /version with the pod's service-account token, then sleep until SIGTERM
//	demo webhook CERT KEY   a mutating admission webhook on :8443 (path /mutate) that annotates
//	                    every object it is asked about with tollgate.dev/seen-by=demo-webhook
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

const sa = "/var/run/secrets/kubernetes.io/serviceaccount/"

func main() {
	if len(os.Args) == 4 && os.Args[1] == "webhook" {
		fmt.Println("webhook: serving :8443")
		http.HandleFunc("/mutate", mutate)
		fmt.Println("webhook:", http.ListenAndServeTLS(":8443", os.Args[2], os.Args[3], nil))
		os.Exit(1)
	}
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: demo sidecar|main FILE | demo webhook CERT KEY")
		os.Exit(2)
	}
	mode, file := os.Args[1], os.Args[2]
	now := time.Now().UTC().Format(time.RFC3339Nano)
	switch mode {
	case "sidecar":
		if err := os.WriteFile(file, []byte(now+"\n"), 0o644); err != nil {
			fmt.Println("sidecar: write", file, err)
			os.Exit(1)
		}
		fmt.Println("sidecar: started at", now)
		go func() {
			err := http.ListenAndServe(":8080", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fmt.Println("sidecar: served", r.Method, r.URL.Path, "to", r.RemoteAddr)
				fmt.Fprintln(w, "hello from the sidecar")
			}))
			fmt.Println("sidecar: serve:", err)
		}()
	case "main":
		fmt.Println("main: started at", now)
		if b, err := os.ReadFile(file); err == nil {
			fmt.Println("main: sidecar started before me, at", strings.TrimSpace(string(b)))
		} else {
			fmt.Println("main: no sidecar file:", err)
		}
		host, port := os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT")
		fmt.Println("main: GET https://" + net.JoinHostPort(host, port) + "/version")
		fmt.Println("main:", get("https://"+net.JoinHostPort(host, port)+"/version"))
		fmt.Println("main:", get("https://"+net.JoinHostPort(host, port)+"/api/v1/namespaces/default/pods?limit=1"))
	default:
		os.Exit(2)
	}
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM, syscall.SIGINT)
	<-c
	fmt.Println(mode+": stopping at", time.Now().UTC().Format(time.RFC3339Nano))
}

func get(url string) string {
	pool := x509.NewCertPool()
	ca, err := os.ReadFile(sa + "ca.crt")
	if err != nil {
		return "no CA: " + err.Error()
	}
	pool.AppendCertsFromPEM(ca)
	token, err := os.ReadFile(sa + "token")
	if err != nil {
		return "no token: " + err.Error()
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	resp, err := client.Do(req)
	if err != nil {
		return "error: " + err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	return resp.Status + " " + strings.Join(strings.Fields(string(body)), " ")
}

// mutate answers an admission.k8s.io/v1 AdmissionReview with a JSON patch adding one annotation.
func mutate(w http.ResponseWriter, r *http.Request) {
	var review struct {
		Request struct {
			UID    string                `json:"uid"`
			Kind   struct{ Kind string } `json:"kind"`
			Name   string                `json:"name"`
			Object struct {
				Metadata struct {
					Annotations map[string]string `json:"annotations"`
				} `json:"metadata"`
			} `json:"object"`
		} `json:"request"`
	}
	if err := json.NewDecoder(r.Body).Decode(&review); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	patch := `[{"op":"add","path":"/metadata/annotations/tollgate.dev~1seen-by","value":"demo-webhook"}]`
	if review.Request.Object.Metadata.Annotations == nil {
		patch = `[{"op":"add","path":"/metadata/annotations","value":{"tollgate.dev/seen-by":"demo-webhook"}}]`
	}
	fmt.Println("webhook: admitting", review.Request.Kind.Kind, review.Request.Name, "from", r.RemoteAddr)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"apiVersion": "admission.k8s.io/v1",
		"kind":       "AdmissionReview",
		"response": map[string]any{
			"uid":       review.Request.UID,
			"allowed":   true,
			"patchType": "JSONPatch",
			"patch":     []byte(patch),
		},
	})
}
