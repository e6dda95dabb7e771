// Two tiny static programs packed as container images by bin/cluster (issue 18 spike): the
// sandbox ("pause") image and a demo workload. No dependencies: no registry, no base image.
module tollgate.dev/e2e/cluster/images

go 1.24.0
