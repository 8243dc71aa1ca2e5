#!/usr/bin/env bash
# lib-test.sh: the "test" stage, sourced by cluster.sh. The chart, with its
# default values plus the fake's credentials and the local image, in a
# namespace that enforces the restricted Pod Security Standard.

NS=zendesk-e2e
REL=e2e
CHART=$ROOT/charts/zendesk-sync

# render_apply [HELM ARGS]: the API server's own validation of the rendered chart.
render_apply() {
	helm template "$REL" "$CHART" "${BASE_ARGS[@]}" "$@" | kubectl apply --dry-run=server -n "$NS" -f -
}

fake_listening() {
	kubectl logs -n "$NS" zendesk-fake 2>/dev/null | grep -q 'zendesk fake listening'
}

# scheduled_jobs CRONJOB: the Jobs the CronJob controller made (they carry the
# scheduled-timestamp annotation; kubectl create job --from=cronjob ones do not).
scheduled_jobs() {
	kubectl get jobs -n "$NS" -o jsonpath='{range .items[*]}{.metadata.ownerReferences[0].name} {.metadata.name} {.metadata.annotations.batch\.kubernetes\.io/cronjob-scheduled-timestamp}{"\n"}{end}' |
		awk -v cj="$1" '$1 == cj && $3 != "" {print $2}'
}

# job_pod_exited JOB CODE: a pod of JOB ended with exit code CODE.
job_pod_exited() {
	kubectl get pods -n "$NS" -l "batch.kubernetes.io/job-name=$1" \
		-o jsonpath='{range .items[*]}{.status.containerStatuses[0].state.terminated.exitCode}{"\n"}{end}' |
		grep -qx "$2"
}

# job_logs_mention JOB WORD: some pod of JOB logged WORD.
job_logs_mention() {
	local p
	for p in $(kubectl get pods -n "$NS" -l "batch.kubernetes.io/job-name=$1" -o name); do
		kubectl logs -n "$NS" "$p" 2>/dev/null | grep -qi "$2" && return 0
	done
	return 1
}

# scheduled_jobs_are CRONJOB N: the CronJob controller has made exactly N Jobs.
scheduled_jobs_are() { [ "$(scheduled_jobs "$1" | grep -c .)" = "$2" ]; }

test_chart() {
	local t0=$SECONDS
	kubectl create namespace "$NS" >/dev/null
	kubectl label namespace "$NS" pod-security.kubernetes.io/enforce=restricted \
		pod-security.kubernetes.io/enforce-version=latest >/dev/null
	wait_for 60 kubectl get serviceaccount default -n "$NS"
	check "namespace enforces PSS restricted: a pod without a security context is refused" rejects \
		kubectl run psa-probe -n "$NS" --image="$PAUSE_IMAGE" --image-pull-policy=Never \
		--restart=Never --dry-run=server

	# The fake Zendesk as a pod on the test's bridge; the jobs reach it by pod IP.
	kubectl apply -n "$NS" -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata: {name: zendesk-fake, labels: {app: zendesk-fake}}
spec:
  automountServiceAccountToken: false
  enableServiceLinks: false
  securityContext:
    runAsNonRoot: true
    runAsUser: 65532
    runAsGroup: 65532
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: fake
      image: $FAKE_IMAGE
      imagePullPolicy: Never
      args: ["-addr", "0.0.0.0:8080"]
      ports: [{containerPort: 8080}, {containerPort: 8081}]
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
EOF
	check "fake Zendesk pod listens" wait_for 120 fake_listening
	local ip
	ip=$(kubectl get pod -n "$NS" zendesk-fake -o jsonpath='{.status.podIP}')
	log "fake Zendesk at http://$ip:8080"

	# Default values, plus the fake's address and credentials and the local image.
	BASE_ARGS=(--namespace "$NS"
		--set image.repository="${APP_IMAGE%:*}" --set image.tag="${APP_IMAGE##*:}" --set image.pullPolicy=Never
		--set zendesk.baseUrl="http://$ip:8080" --set conversations.sunco.baseUrl="http://$ip:8080/sc"
		--set conversations.sunco.appId="$SUNCO_APP_ID"
		--set conversations.credentials.suncoKeyId="$SUNCO_KEY_ID"
		--set conversations.credentials.suncoKeySecret="$SUNCO_KEY_SECRET"
		--set conversations.credentials.zendeskEmail="$ZENDESK_EMAIL"
		--set conversations.credentials.zendeskApiToken="$ZENDESK_API_TOKEN"
		--set helpcenter.credentials.zendeskEmail="$ZENDESK_EMAIL"
		--set helpcenter.credentials.zendeskApiToken="$ZENDESK_API_TOKEN")

	check "helm lint --strict" helm lint --strict "$CHART"
	check "API server accepts the rendered chart (dry run)" render_apply
	check "schema refuses concurrencyPolicy=Sometimes" rejects \
		helm template "$REL" "$CHART" "${BASE_ARGS[@]}" --set conversations.concurrencyPolicy=Sometimes
	check "schema refuses an unknown key" rejects \
		helm template "$REL" "$CHART" "${BASE_ARGS[@]}" --set helpcenter.scheduel=x
	check "API server refuses schedule \"61 * * * *\"" rejects \
		render_apply --set conversations.schedule="61 * * * *"
	check "helm install" helm install "$REL" "$CHART" "${BASE_ARGS[@]}" --wait --timeout 120s
	check "claim Bound, two Secrets, a ServiceAccount, two CronJobs" sh -c "
		kubectl get pvc -n $NS -l app.kubernetes.io/instance=$REL -o jsonpath='{.items[0].status.phase}' | grep -qx Bound &&
		kubectl get secret -n $NS -l app.kubernetes.io/instance=$REL -o name | grep -c . | grep -qx 2 &&
		kubectl get sa -n $NS -l app.kubernetes.io/instance=$REL -o name | grep -c . | grep -qx 1 &&
		kubectl get cronjob -n $NS -l app.kubernetes.io/instance=$REL -o name | grep -c . | grep -qx 2"

	# The run commands NOTES.txt prints, run verbatim.
	helm status "$REL" -n "$NS" | grep -E '^[[:space:]]*kubectl create job ' | sed 's/^[[:space:]]*//' >"$LOGS/notes-commands"
	check "NOTES print a run command for each of the two jobs" sh -c "[ \$(wc -l <'$LOGS/notes-commands') = 2 ]"
	local cmd out jobs=() cj_hc="" hc_cmd=""
	while read -r cmd; do
		out=$(bash -c "$cmd") || { check "run: $cmd" false; continue; }
		out=${out#job.batch/}
		jobs+=("${out%% *}")
		case $cmd in *helpcenter*) hc_cmd=$cmd; cj_hc=${cmd#*--from=cronjob/}; cj_hc=${cj_hc%% *} ;; esac
	done <"$LOGS/notes-commands"
	log "ad-hoc jobs: ${jobs[*]}"
	local j
	for j in "${jobs[@]}"; do
		check "ad-hoc job $j completes" kubectl wait -n "$NS" --for=condition=complete "job/$j" --timeout=180s
	done
	check "conversations snapshot on the volume: latest, status complete, owned by 65532" \
		snapshot_complete "$PV_DIR/zendesk_sync"
	check "help center snapshot on the volume: latest, status complete, owned by 65532" \
		snapshot_complete "$PV_DIR/zendesk_help_center"
	check "kubectl logs shows the run's JSON log" sh -c "kubectl logs -n $NS job/${jobs[0]} | grep -q '^{'"

	# The same command again: a new Job name, a second snapshot.
	sleep 1
	out=$(bash -c "$hc_cmd") && out=${out#job.batch/} && out=${out%% *}
	check "the help center command runs again under a new Job name" sh -c "[ -n '$out' ] && ! echo '${jobs[*]}' | grep -qw '$out'"
	check "second ad-hoc run completes" kubectl wait -n "$NS" --for=condition=complete "job/$out" --timeout=180s
	check "two help center snapshots on the volume" snapshots_at_least "$PV_DIR/zendesk_help_center" 2

	# A configuration error (exit code 2) fails the Job at once: no retry.
	check "helm upgrade (a bad LOG_LEVEL through extraEnv)" helm upgrade "$REL" "$CHART" "${BASE_ARGS[@]}" \
		--set helpcenter.extraEnv.LOG_LEVEL=loud --wait --timeout 60s
	kubectl create job -n "$NS" --from="cronjob/$cj_hc" e2e-bad-config >/dev/null
	check "exit code 2 fails the Job at once (podFailurePolicy)" sh -c "
		kubectl wait -n $NS --for=condition=failed job/e2e-bad-config --timeout=120s >/dev/null &&
		kubectl get job -n $NS e2e-bad-config -o jsonpath='{.status.conditions[?(@.type==\"Failed\")].reason}' | grep -qx PodFailurePolicy &&
		[ \$(kubectl get pods -n $NS -l batch.kubernetes.io/job-name=e2e-bad-config -o name | wc -l) = 1 ]"
	check "the failed run names the bad variable" job_logs_mention e2e-bad-config LOG_LEVEL

	# The CronJob controller on a "* * * * *" schedule while this script holds
	# the program's lock on the volume: the run is refused (exit 1) and retried;
	# the next minute's run is not started (concurrencyPolicy Forbid); once the
	# lock is released a retry completes.
	local before lock=$PV_DIR/zendesk_help_center/.lock
	before=$(snapshot_count "$PV_DIR/zendesk_help_center")
	exec 9>>"$lock"
	flock -x -w 10 9
	check "helm upgrade (schedule \"* * * * *\", backoffLimit 6)" helm upgrade "$REL" "$CHART" "${BASE_ARGS[@]}" \
		--set helpcenter.schedule="* * * * *" --set helpcenter.backoffLimit=6 --wait --timeout 60s
	check "CronJob controller starts a Job on schedule (<= 75 s)" wait_for 75 scheduled_jobs_are "$cj_hc" 1
	local sj stamp
	sj=$(scheduled_jobs "$cj_hc" | head -1)
	if [ -n "$sj" ]; then
		stamp=$(kubectl get job -n "$NS" "$sj" -o jsonpath='{.metadata.annotations.batch\.kubernetes\.io/cronjob-scheduled-timestamp}')
		check "scheduled run refused by the program's lock: exit code 1" wait_for 90 job_pod_exited "$sj" 1
		check "the refused run names the lock" job_logs_mention "$sj" lock
		# 12 s past the next minute boundary: Forbid kept the controller from a second Job.
		local until=$(($(date -d "$stamp" +%s) + 72))
		while [ "$(date +%s)" -lt "$until" ]; do sleep 1; done
		check "concurrencyPolicy Forbid: no second scheduled Job while one runs" \
			scheduled_jobs_are "$cj_hc" 1
		exec 9>&-
		check "after the lock is released a retry completes the scheduled Job" \
			kubectl wait -n "$NS" --for=condition=complete "job/$sj" --timeout=240s
		check "failed attempts were retried (exit code 1 counts against backoffLimit)" \
			sh -c "[ \"\$(kubectl get job -n $NS $sj -o jsonpath='{.status.failed}')\" -ge 1 ]"
		check "the scheduled run published a snapshot" \
			snapshots_at_least "$PV_DIR/zendesk_help_center" $((before + 1))
	else
		exec 9>&-
	fi

	check "helm upgrade back to the defaults" helm upgrade "$REL" "$CHART" "${BASE_ARGS[@]}" --wait --timeout 60s
	check "the CronJob has its default schedule again" sh -c \
		"kubectl get cronjob -n $NS $cj_hc -o jsonpath='{.spec.schedule}' | grep -qx '30 3 \* \* \*'"
	check "helm upgrade with a bad value is refused" rejects helm upgrade "$REL" "$CHART" "${BASE_ARGS[@]}" \
		--set helpcenter.backoffLimit=-1
	check "the release is unchanged (revision 4, deployed)" sh -c \
		"helm status $REL -n $NS -o json | grep -q '\"version\":4' && helm status $REL -n $NS | grep -q 'STATUS: deployed'"
	check "helm uninstall" helm uninstall "$REL" -n "$NS" --wait --timeout 120s
	check "uninstall removed the CronJobs and Secrets, kept the claim and the snapshots" sh -c "
		[ -z \"\$(kubectl get cronjob,secret -n $NS -l app.kubernetes.io/instance=$REL -o name)\" ] &&
		kubectl get pvc -n $NS -l app.kubernetes.io/instance=$REL -o name | grep -q . &&
		[ -L '$PV_DIR/zendesk_help_center/latest' ] && [ -L '$PV_DIR/zendesk_sync/latest' ]"
	kubectl delete pvc -n "$NS" -l "app.kubernetes.io/instance=$REL" --wait=false >/dev/null 2>&1 || true
	log "test stage took $((SECONDS - t0))s"
}
