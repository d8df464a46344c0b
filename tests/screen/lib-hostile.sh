# Writes hostile files into workspace $1: escape sequences, control characters, invalid UTF-8,
# a 10 kB line, right-to-left text with a bidi override, wide CJK text and combining marks.
# Sourced by screen and tmux tests (a lib file: the runner does not run it).
hostile_ws() {
	d=$1
	mkdir -p "$d/blueprints"
	{
		printf 'apiVersion: csf/v1\nkind: Blueprint\nmodule: Hostile\nversion: 1.0.0\n'
		printf 'description: "clear \033[2J\033[H home, red \033[31mRED\033[0m, title \033]0;pwned\007 end"\n'
		printf 'owner: "bell \007 bs \010\010 cr \r nul-free del \177 c1 \302\233 end"\n'
		printf '# invalid utf-8: \377\376 and a lone continuation \200 end\n'
		printf 'runtime:\n  stack: node20\n  port: 8080\n'
		printf 'configuration:\n  values:\n'
		printf '    HEBREW: "\327\251\327\234\327\225\327\235 shalom"\n'
		printf '    ARABIC: "\331\205\330\261\330\255\330\250\330\247 marhaba"\n'
		printf '    OVERRIDE: "abc \342\200\256 reversed? \342\200\254 def"\n'
		printf '    CJK: "\346\274\242\345\255\227\343\203\206\343\202\271\343\203\210 wide"\n'
		printf '    COMBINING: "e\314\201 a\314\200 n\314\203"\n'
		printf '    LONG: "'
		i=0
		while [ $i -lt 160 ]; do
			printf 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-'
			i=$((i + 1))
		done
		printf '"\n'
		printf 'after: the long line\n'
	} > "$d/blueprints/hostile.yaml"
}
