#!/usr/bin/env bash
# lib-cluster.sh: the "up" and "down" stages, sourced by cluster.sh, adapted
# from shared/research/k8s-recipe.sh (measured on this kind of machine).
#
# Every listener is on 127.0.0.1. Pods get 10.88.0.x on a host-only bridge
# (no gateway, no masquerade): pod-to-pod traffic, e.g. a job to the fake
# Zendesk pod, never leaves the bridge this stage creates.

NODENAME=$(hostname | tr '[:upper:]' '[:lower:]')
CTR="ctr --address $RUN/containerd/containerd.sock -n k8s.io"
PV_DIR=$RUN/pv
BRIDGE=cni-zdsync

pki() {
	(
		cd "$PKI" || exit 1
		openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 7 \
			-subj /CN=e2e-ca 2>/dev/null
		cat >san.cnf <<EOF
[req]
distinguished_name=dn
[dn]
[ext]
basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:localhost,DNS:$NODENAME,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:127.0.0.1,IP:10.0.0.1
EOF
		sign() {
			openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
			openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" \
				-days 7 -extfile san.cnf -extensions ext 2>/dev/null
			rm -f "$1.csr"
		}
		sign apiserver /CN=kube-apiserver
		sign admin /O=system:masters/CN=admin
		sign kcm /CN=system:kube-controller-manager
		sign sched /CN=system:kube-scheduler
		sign kubelet "/O=system:nodes/CN=system:node:$NODENAME"
		openssl genrsa -out sa.key 2048 2>/dev/null
		openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
	)
	local u
	for u in admin kcm sched kubelet; do
		cat >"$RUN/$u.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: "https://127.0.0.1:6443", certificate-authority: "$PKI/ca.crt"}
users:
- name: $u
  user: {client-certificate: "$PKI/$u.crt", client-key: "$PKI/$u.key"}
contexts:
- name: local
  context: {cluster: local, user: $u}
current-context: local
EOF
	done
}

node_ready() {
	kubectl get node "$NODENAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' | grep -qx True
}

up() {
	local t0=$SECONDS f
	for f in "$RUN"/*.pid; do
		if [ -e "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; then
			echo "still running: $f (run: $0 down)" >&2
			return 1
		fi
	done
	if grep -q " $RUN/" /proc/mounts; then echo "mounts left under $RUN (run: $0 down)" >&2; return 1; fi
	# Fresh state every time: a Released volume from an earlier run would not bind again.
	rm -rf "$RUN/etcd" "$PV_DIR" "$RUN/containerd" "$RUN/kubelet" "$RUN/cni" "$RUN/cni-ipam" \
		"$RUN/apiserver-certs" "$RUN"/*.pid "$RUN"/*.kubeconfig
	# Certificates are remade each run (they are valid for 7 days).
	rm -rf "$PKI" && mkdir -p "$PKI"
	pki

	start_bg etcd etcd --name e2e --data-dir "$RUN/etcd" --logger zap --log-level warn \
		--listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
		--listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
		--initial-cluster e2e=http://127.0.0.1:2380 --unsafe-no-fsync
	wait_for 30 curl -sf http://127.0.0.1:2379/health
	# --endpoint-reconciler-type=none: the kubernetes Service cannot hold a loopback IP.
	# --kubelet-preferred-address-types=Hostname: the host name resolves to 127.0.0.1,
	#   so kubectl logs reaches the kubelet on loopback.
	# PodSecurity admission is on by default; the test namespace's label enforces it.
	start_bg kube-apiserver kube-apiserver --etcd-servers=http://127.0.0.1:2379 \
		--bind-address=127.0.0.1 --secure-port=6443 --advertise-address=127.0.0.1 \
		--endpoint-reconciler-type=none --service-cluster-ip-range=10.0.0.0/24 \
		--tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
		--client-ca-file="$PKI/ca.crt" \
		--service-account-issuer=https://kubernetes.default.svc \
		--service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
		--authorization-mode=Node,RBAC --enable-admission-plugins=PodSecurity \
		--kubelet-client-certificate="$PKI/admin.crt" --kubelet-client-key="$PKI/admin.key" \
		--kubelet-preferred-address-types=Hostname --cert-dir="$RUN/apiserver-certs"
	wait_for 90 kubectl get --raw /readyz
	log "apiserver ready"
	start_bg kube-controller-manager kube-controller-manager --kubeconfig "$RUN/kcm.kubeconfig" \
		--authentication-kubeconfig "$RUN/kcm.kubeconfig" --authorization-kubeconfig "$RUN/kcm.kubeconfig" \
		--bind-address=127.0.0.1 --leader-elect=false --use-service-account-credentials=true \
		--service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
		--cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key"
	wait_for 60 curl -sfk https://127.0.0.1:10257/healthz
	start_bg kube-scheduler kube-scheduler --kubeconfig "$RUN/sched.kubeconfig" \
		--authentication-kubeconfig "$RUN/sched.kubeconfig" --authorization-kubeconfig "$RUN/sched.kubeconfig" \
		--bind-address=127.0.0.1 --leader-elect=false

	# The snapshot volume: a hostPath PV with no class, so the chart's claim
	# (default values: no storage class; no default class exists) binds to it.
	# The kubelet does not apply fsGroup to hostPath: the folder belongs to 65532.
	mkdir -p "$PV_DIR"
	chown 65532:65532 "$PV_DIR"
	chmod 0750 "$PV_DIR"
	kubectl apply -f - >/dev/null <<EOF
apiVersion: v1
kind: PersistentVolume
metadata: {name: e2e-snapshots}
spec:
  capacity: {storage: 50Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: ""
  hostPath: {path: "$PV_DIR", type: Directory}
EOF

	mkdir -p "$RUN/containerd" "$RUN/cni"
	# restrict_oom_score_adj: this VM drops CAP_SYS_RESOURCE, so runc cannot set
	# the sandbox's negative oom_score_adj; containerd clamps it instead.
	cat >"$RUN/containerd/config.toml" <<EOF
version = 2
root = "$RUN/containerd/root"
state = "$RUN/containerd/state"
[grpc]
  address = "$RUN/containerd/containerd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$RUN/cni"
EOF
	cat >"$RUN/cni/10-bridge.conflist" <<EOF
{"cniVersion": "1.0.0", "name": "zdsync-e2e", "plugins": [
  {"type": "bridge", "bridge": "$BRIDGE", "isGateway": false, "ipMasq": false,
   "ipam": {"type": "host-local", "dataDir": "$RUN/cni-ipam", "ranges": [[{"subnet": "10.88.0.0/24"}]]}}]}
EOF
	start_bg containerd containerd --config "$RUN/containerd/config.toml"
	# shellcheck disable=SC2086 # CTR is a command with arguments
	wait_for 30 $CTR version
	local i
	for i in "$IMG"/*.tar; do
		# shellcheck disable=SC2086
		$CTR images import "$i" >/dev/null
	done

	# Hybrid cgroups here: kubelet 1.35+ needs failCgroupV1: false. containerd
	# 1.6 lacks the RuntimeConfig RPC: kubelet 1.37 falls back to cgroupDriver.
	mkdir -p "$RUN/kubelet"
	cat >"$RUN/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
failSwapOn: false
containerRuntimeEndpoint: unix://$RUN/containerd/containerd.sock
address: 127.0.0.1
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
tlsCertFile: $PKI/kubelet.crt
tlsPrivateKeyFile: $PKI/kubelet.key
authentication: {anonymous: {enabled: false}, webhook: {enabled: false}, x509: {clientCAFile: $PKI/ca.crt}}
authorization: {mode: AlwaysAllow}
evictionHard: {"nodefs.available": "1%", "imagefs.available": "1%", "memory.available": "100Mi"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
enforceNodeAllocatable: []
resolvConf: /etc/resolv.conf
EOF
	start_bg kubelet kubelet --kubeconfig "$RUN/kubelet.kubeconfig" --config "$RUN/kubelet/config.yaml" \
		--root-dir "$RUN/kubelet/root" --hostname-override="$NODENAME"
	wait_for 90 node_ready
	log "cluster up in $((SECONDS - t0))s (node $NODENAME Ready)"
}

# stop_orphans: should containerd have died before its tasks (say, killed
# from outside), stop the shims it started (found by this run's socket in
# their command line) and their containers, each by PID, and delete the pod
# network namespaces on this run's subnet.
stop_orphans() {
	local p cmd child children ns
	for p in /proc/[0-9]*; do
		cmd=$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null) || continue
		case $cmd in
		*containerd-shim*"-address $RUN/containerd/containerd.sock"*)
			children=$(cat "$p"/task/*/children 2>/dev/null) || true
			for child in $children; do kill -9 "$child" 2>/dev/null || true; done
			kill -9 "${p#/proc/}" 2>/dev/null || true
			;;
		esac
	done
	for ns in $(ip netns list 2>/dev/null | awk '/^cni-/ {print $1}'); do
		if ip -n "$ns" -4 -br addr 2>/dev/null | grep -q ' 10\.88\.0\.'; then
			ip netns del "$ns" 2>/dev/null || true
		fi
	done
}

down() {
	stop_pid fake
	if [ -f "$RUN/kubelet.pid" ] && [ -f "$RUN/kube-apiserver.pid" ]; then
		kubectl delete jobs,pods --all --all-namespaces --wait --timeout=60s >/dev/null 2>&1 || true
	fi
	stop_pid kubelet
	if [ -f "$RUN/containerd.pid" ]; then
		local id
		# shellcheck disable=SC2086
		for id in $($CTR tasks ls -q 2>/dev/null); do
			$CTR tasks kill -s SIGKILL "$id" 2>/dev/null || true
			$CTR tasks delete "$id" 2>/dev/null || true
		done
		# shellcheck disable=SC2086
		for id in $($CTR containers ls -q 2>/dev/null); do $CTR containers delete "$id" 2>/dev/null || true; done
		stop_pid containerd
	fi
	stop_orphans
	local n
	for n in kube-scheduler kube-controller-manager kube-apiserver etcd; do stop_pid "$n"; done
	# The kubelet bind-mounts its root dir and the pods' volumes: deepest first.
	grep -o " $RUN/[^ ]*" /proc/mounts | sort -r | while read -r m; do
		umount "$m" 2>/dev/null || umount -l "$m" || true
	done
	ip link del "$BRIDGE" 2>/dev/null || true
	# Empty pod cgroups the kubelet made (cgroup v1 hierarchies).
	find /sys/fs/cgroup/*/kubepods -depth -type d -exec rmdir {} \; 2>/dev/null || true
	log "down"
}
