# The cluster views on a real pty. 1: drill down on the sample workspace (recorded snapshot):
# T opens the tenants, Enter lists vetclinic-001's modules with their drift, Enter opens the
# scaling history of BookingService, t its traces (tenantId and moduleId), Enter the slow
# booking as a tree; back out with q; the tenants header then says how old the data is.
# 2: a trace backend and a Kubernetes API that accept connections and never answer: the
# views say what they are waiting for (and the status line shows the request), keys are
# handled meanwhile (help opens and closes), and Esc cancels the request.
. "$(dirname "$0")/lib.sh"
rm -rf "$ws"
cp -R "$top/samples" "$ws"
start 100 30
wait_for 'Findings:'
keys T
wait_for 'vetclinic-001'
wait_for 'updated just now'
keys G Enter
wait_for 'MODULE'
wait_for 'drift Deployment/booking-service version: desired 1.2.4, live 1.2.3'
keys Enter
wait_for 'vetclinic-001/BookingService'
wait_for 'observed KEDA 4..40'
wait_for 'declared 4..40 from'
keys 4
wait_for 'last 7d'
keys t
wait_for 'tenantId=vetclinic-001 moduleId=BookingService'
wait_for 'agent.run book-appointment'
assert_screen_lacks 'cancel-appointment'
keys G Enter
wait_for 'INSERT appointments'
wait_for '4bf92f3577b34da6a3ce929d0e0e4736'
keys q q
wait_for 'observed KEDA 4..40'
keys q
wait_for 'drift Deployment/booking-service version'
keys Escape
wait_for 'happytails-004'
# the age counts up (a timer, not a key, redraws it)
wait_for 's ago' 12
keys Q
wait_exit

# 2: servers that never answer
node -e '
const s = require("net").createServer(() => {});
s.listen(0, "127.0.0.1", () => console.log(s.address().port));
' >"$tmp/port" &
mute=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
port=$(cat "$tmp/port")
cat >"$tmp/kubeconfig" <<KUBE
apiVersion: v1
kind: Config
current-context: mute
clusters:
- name: mute
  cluster: { server: "http://127.0.0.1:$port" }
users:
- name: u
  user: { token: not-shown }
contexts:
- name: mute
  context: { cluster: mute, user: u }
KUBE
rm -rf "$ws"
cp -R "$top/tests/screen/ws" "$ws"
RUN_ENV="KUBECONFIG=$tmp/kubeconfig" start 100 30
wait_for 'Findings:'
keys : t r a c e s Space j a e g e r : h t t p : / / 1 2 7 . 0 . 0 . 1 : "$port" Space s e r v i c e = x Enter
wait_for "searching jaeger:http://127.0.0.1:$port"
wait_for '[searching traces...]'
keys ?
wait_for 'Help:'
keys q
wait_for "searching jaeger:http://127.0.0.1:$port"
keys Escape
wait_for 'cancelled'
wait_gone '[searching traces...]'
keys : t e n a n t s Enter
wait_for 'loading tenants: 0/'
wait_for '[loading tenants...]'
keys ?
wait_for 'Help:'
keys q
wait_for 'loading tenants: 0/'
keys Escape
wait_for 'loading cancelled'
wait_gone '[loading tenants...]'
assert_screen_lacks 'not-shown'
keys Q
wait_exit
kill "$mute" 2>/dev/null || true
grep -q 'not-shown' "$tmp/trace" && { echo "FAIL: $name: the token reached the trace file"; failures=$((failures + 1)); }
finish
