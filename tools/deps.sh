#!/bin/sh
# Installs what the build and the tests need and is missing: Debian packages, then the npm
# validators (into tests/validate/node_modules). Prints the exact command when it cannot install.
# Usage: tools/deps.sh build|test
set -u
what=${1:-build}
BUILD_PKGS="gcc make pkg-config libncurses-dev libyaml-dev libcjson-dev libgit2-dev libcurl4-openssl-dev libreadline-dev"
TEST_PKGS="libcmocka-dev clang libclang-rt-14-dev tmux jq git kubectl prometheus nodejs npm openssl curl python3"

missing=""
pkgs=$BUILD_PKGS
[ "$what" = test ] && pkgs="$BUILD_PKGS $TEST_PKGS"
for p in $pkgs; do
	case $p in
	kubectl|nodejs|npm) command -v "${p%js}" >/dev/null 2>&1 && continue ;;
	esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; else sudo=none; fi
	if [ "$sudo" = none ]; then
		echo "deps: missing Debian packages; run:" >&2
		echo "  sudo apt-get install -y$missing" >&2
		exit 1
	fi
	echo "deps: installing$missing" >&2
	$sudo apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 ||
		{ $sudo apt-get update >/dev/null 2>&1 && $sudo apt-get install -y --no-install-recommends $missing >/dev/null; } ||
		{ echo "deps: apt-get failed; run: sudo apt-get install -y$missing" >&2; exit 1; }
fi
if [ "$what" = test ] && [ -f tests/validate/package.json ]; then
	if [ ! -f tests/validate/node_modules/.stamp ] || [ tests/validate/package.json -nt tests/validate/node_modules/.stamp ]; then
		echo "deps: installing npm validators (tests/validate)" >&2
		(cd tests/validate && npm install --no-audit --no-fund --loglevel=error >/dev/null) ||
			{ echo "deps: npm install failed; run: (cd tests/validate && npm install)" >&2; exit 1; }
		touch tests/validate/node_modules/.stamp
	fi
fi
exit 0
