# bench/survey/check.py DIR: the archive DIR/db.sqlite against DIR/truth-epoch1.json (see run).
import json,os,subprocess,sys
d=sys.argv[1]
t=json.load(open(d+'/truth-epoch1.json'))
out=subprocess.run([os.environ.get('PROVARC','build/cli/provarc'),'--config',d+'/cfg','--db',d+'/db.sqlite','export','--format','jsonl'],capture_output=True,text=True).stdout
got={}
for l in out.splitlines():
    r=json.loads(l); got.setdefault(r['site'],set()).add(r['url'])
st=json.loads(subprocess.run([os.environ.get('PROVARC','build/cli/provarc'),'--config',d+'/cfg','--db',d+'/db.sqlite','stats','--format','json'],capture_output=True,text=True).stdout)
rows={s['site']:s['articles'] for s in st}
ok=0
for s in t['sites']:
    exp=set(a['url'] for a in s['articles'])
    g=got.get(s['id'],set())
    good = g==exp and rows.get(s['id'])==len(exp)
    ok+=good
    print(s['id'],'expected',len(exp),'archived',len(g),'missing',len(exp-g),'extra',len(g-exp),'registered',rows.get(s['id']), 'OK' if good else 'FAIL', 'e.g. extra', list(g-exp)[:1], 'missing', list(exp-g)[:1])
print(ok,'of',len(t['sites']))
