"""Checks a SARIF log against the SARIF 2.1.0 schema's rules, structurally.

Usage: sarif_check.py LOG.sarif

Exits non-zero naming the first violation. On success prints one line per
rule and per result (and for a result whose code flow has named threads, a
race, its related locations and each thread's steps), for FileCheck.

The schema itself is not vendored, and never fetched: no Debian package
ships it (python3-sarif-python-om and golang-github-haya14busa-go-sarif-dev
carry object models, not the JSON schema), and the test must run offline.
The constraints below are those of the OASIS SARIF 2.1.0 schema
(sarif-schema-2.1.0.json) for every object sendsync-tidy writes: required
properties, types, enums, minimums, the properties each object may have (the
schema allows no others), and the cross-references (ruleIndex, uriBaseId,
related location ids). Python's standard library only.
"""
import json
import sys
import urllib.parse

errors = []


def fail(path, why):
    raise SystemExit("sarif_check: %s: %s" % (path, why))


def obj(v, path, allowed, required=()):
    if not isinstance(v, dict):
        fail(path, "expected an object")
    for k in v:
        if k not in allowed:
            fail(path, "property '%s' is not allowed here" % k)
    for k in required:
        if k not in v:
            fail(path, "missing required property '%s'" % k)
    return v


def string(v, path):
    if not isinstance(v, str):
        fail(path, "expected a string")
    return v


def integer(v, path, minimum):
    if not isinstance(v, int) or isinstance(v, bool) or v < minimum:
        fail(path, "expected an integer >= %d" % minimum)
    return v


def array(v, path, min_items=0, unique=False):
    if not isinstance(v, list) or len(v) < min_items:
        fail(path, "expected an array of at least %d items" % min_items)
    if unique and len({json.dumps(x, sort_keys=True) for x in v}) != len(v):
        fail(path, "items must be unique")
    return v


def uri(v, path, absolute=False):
    string(v, path)
    parsed = urllib.parse.urlsplit(v)
    if absolute and not parsed.scheme:
        fail(path, "expected an absolute URI")
    if " " in v or "\\" in v:
        fail(path, "not a valid URI reference: %r" % v)
    return v


def message(v, path):
    obj(v, path, {"text", "markdown", "id", "arguments", "properties"})
    if "text" not in v and "id" not in v:
        fail(path, "a message needs 'text' or 'id'")
    if "text" in v:
        string(v["text"], path + ".text")


def multiformat(v, path):
    obj(v, path, {"text", "markdown", "properties"}, ["text"])
    string(v["text"], path + ".text")


LEVELS = {"none", "note", "warning", "error"}


def artifact_location(v, path, base_ids):
    obj(v, path, {"uri", "uriBaseId", "index", "description", "properties"})
    if "uri" in v:
        uri(v["uri"], path + ".uri", absolute="uriBaseId" not in v)
    if "uriBaseId" in v and v["uriBaseId"] not in base_ids:
        fail(path, "uriBaseId '%s' is not in run.originalUriBaseIds" % v["uriBaseId"])


def location(v, path, base_ids):
    obj(v, path, {"id", "physicalLocation", "logicalLocations", "message",
                  "annotations", "relationships", "properties"})
    if "id" in v:
        integer(v["id"], path + ".id", -1)
    if "message" in v:
        message(v["message"], path + ".message")
    if "physicalLocation" in v:
        p = obj(v["physicalLocation"], path + ".physicalLocation",
                {"address", "artifactLocation", "region", "contextRegion",
                 "properties"})
        if "address" not in p and "artifactLocation" not in p:
            fail(path, "a physicalLocation needs an artifactLocation or address")
        artifact_location(p["artifactLocation"], path + ".artifactLocation", base_ids)
        if "region" in p:
            r = obj(p["region"], path + ".region",
                    {"startLine", "startColumn", "endLine", "endColumn",
                     "charOffset", "charLength", "byteOffset", "byteLength",
                     "snippet", "message", "sourceLanguage", "properties"})
            integer(r.get("startLine", 1), path + ".startLine", 1)
            integer(r.get("startColumn", 1), path + ".startColumn", 1)
            if "snippet" in r:
                obj(r["snippet"], path + ".snippet",
                    {"text", "binary", "rendered", "properties"})
    return v


def where(loc):
    """uri:line of a location, as the checks' tests print it."""
    p = loc.get("physicalLocation", {})
    return "%s:%s" % (p.get("artifactLocation", {}).get("uri"),
                      p.get("region", {}).get("startLine"))


def check(log):
    obj(log, "log", {"$schema", "version", "runs", "inlineExternalProperties",
                     "properties"}, ["version", "runs"])
    if log["version"] != "2.1.0":
        fail("log.version", "expected 2.1.0")
    uri(log.get("$schema", "https://x/"), "log.$schema", absolute=True)
    out = []
    for i, run in enumerate(array(log["runs"], "log.runs")):
        rp = "runs[%d]" % i
        obj(run, rp, {"tool", "invocations", "originalUriBaseIds", "results",
                      "artifacts", "properties", "columnKind"}, ["tool"])
        tool = obj(run["tool"], rp + ".tool", {"driver", "extensions", "properties"}, ["driver"])
        driver = obj(tool["driver"], rp + ".driver",
                     {"name", "version", "semanticVersion", "informationUri",
                      "rules", "notifications", "properties"}, ["name"])
        string(driver["name"], rp + ".driver.name")
        rules = array(driver.get("rules", []), rp + ".rules")
        ids = []
        for j, rule in enumerate(rules):
            p = "%s.rules[%d]" % (rp, j)
            obj(rule, p, {"id", "name", "shortDescription", "fullDescription",
                          "help", "helpUri", "defaultConfiguration",
                          "properties"}, ["id"])
            ids.append(string(rule["id"], p + ".id"))
            for key in ("shortDescription", "fullDescription", "help"):
                if key in rule:
                    multiformat(rule[key], p + "." + key)
            if "defaultConfiguration" in rule:
                conf = obj(rule["defaultConfiguration"], p + ".defaultConfiguration",
                           {"enabled", "level", "rank", "parameters", "properties"})
                if conf.get("level", "warning") not in LEVELS:
                    fail(p, "bad level")
            out.append("rule %s help=%s short=%s" % (
                rule["id"], "help" in rule and "markdown" in rule["help"],
                "shortDescription" in rule))
        if len(set(ids)) != len(ids):
            fail(rp + ".rules", "rule ids must be unique")
        base_ids = obj(run.get("originalUriBaseIds", {}), rp + ".originalUriBaseIds",
                       set(run.get("originalUriBaseIds", {})))
        for name, base in base_ids.items():
            artifact_location(base, rp + ".originalUriBaseIds." + name, {})
            if not base.get("uri", "/").endswith("/"):
                fail(rp, "an originalUriBaseIds uri must end with '/'")
        for j, inv in enumerate(array(run.get("invocations", []), rp + ".invocations")):
            p = "%s.invocations[%d]" % (rp, j)
            obj(inv, p, {"executionSuccessful", "arguments", "commandLine",
                         "toolExecutionNotifications", "exitCode", "properties"},
                ["executionSuccessful"])
            if not isinstance(inv["executionSuccessful"], bool):
                fail(p, "executionSuccessful must be a boolean")
            for k, n in enumerate(array(inv.get("toolExecutionNotifications", []), p)):
                obj(n, "%s.notifications[%d]" % (p, k),
                    {"level", "message", "locations", "descriptor", "properties"},
                    ["message"])
                message(n["message"], p + ".message")
            out.append("invocation successful=%s notifications=%d" % (
                inv["executionSuccessful"], len(inv.get("toolExecutionNotifications", []))))
        for j, res in enumerate(array(run.get("results", []), rp + ".results")):
            p = "%s.results[%d]" % (rp, j)
            obj(res, p, {"ruleId", "ruleIndex", "rule", "level", "kind", "message",
                         "locations", "relatedLocations", "codeFlows",
                         "partialFingerprints", "fingerprints", "properties"},
                ["message"])
            message(res["message"], p + ".message")
            if res.get("level", "warning") not in LEVELS:
                fail(p, "bad level")
            idx = integer(res.get("ruleIndex", -1), p + ".ruleIndex", -1)
            if idx >= 0 and (idx >= len(ids) or ids[idx] != res.get("ruleId")):
                fail(p, "ruleIndex does not point at rule '%s'" % res.get("ruleId"))
            for k, loc in enumerate(array(res.get("locations", []), p + ".locations")):
                location(loc, "%s.locations[%d]" % (p, k), base_ids)
            related = array(res.get("relatedLocations", []), p + ".relatedLocations",
                            unique=True)
            rel_ids = [location(l, "%s.relatedLocations[%d]" % (p, k), base_ids).get("id")
                       for k, l in enumerate(related)]
            rel_ids = [x for x in rel_ids if x is not None]
            if len(set(rel_ids)) != len(rel_ids):
                fail(p, "related location ids must be unique")
            steps = 0
            flows = []
            for k, flow in enumerate(array(res.get("codeFlows", []), p + ".codeFlows")):
                fp = "%s.codeFlows[%d]" % (p, k)
                obj(flow, fp, {"message", "threadFlows", "properties"}, ["threadFlows"])
                if "message" in flow:
                    message(flow["message"], fp + ".message")
                for t, tf in enumerate(array(flow["threadFlows"], fp, min_items=1)):
                    tp = "%s.threadFlows[%d]" % (fp, t)
                    obj(tf, tp, {"id", "message", "initialState", "immutableState",
                                 "locations", "properties"}, ["locations"])
                    if "id" in tf:
                        string(tf["id"], tp + ".id")
                    if "message" in tf:
                        message(tf["message"], tp + ".message")
                    shown = []
                    for s, step in enumerate(array(tf["locations"], tp, min_items=1)):
                        sp = "%s.locations[%d]" % (tp, s)
                        obj(step, sp, {"index", "location", "stack", "kinds", "taxa",
                                       "module", "state", "nestingLevel",
                                       "executionOrder", "executionTimeUtc",
                                       "importance", "webRequest", "webResponse",
                                       "properties"})
                        if "nestingLevel" in step:
                            integer(step["nestingLevel"], sp + ".nestingLevel", 0)
                        if "executionOrder" in step:
                            integer(step["executionOrder"], sp + ".executionOrder", -1)
                        if step.get("importance", "important") not in {
                                "important", "essential", "unimportant"}:
                            fail(sp, "bad importance")
                        if "location" in step:
                            location(step["location"], sp + ".location", base_ids)
                            shown.append(where(step["location"]))
                        steps += 1
                    if "id" in tf or "message" in tf:
                        flows.append("  thread %s '%s': %s" % (
                            tf.get("id"), tf.get("message", {}).get("text"),
                            " ".join(shown)))
            prints = obj(res.get("partialFingerprints", {}), p + ".partialFingerprints",
                         set(res.get("partialFingerprints", {})))
            for v in prints.values():
                string(v, p + ".partialFingerprints")
            loc = res.get("locations", [{}])[0].get("physicalLocation", {})
            out.append("result %s %s %s:%s:%s related=%d flow=%d fingerprint=%s" % (
                res.get("ruleId"), res.get("level", "warning"),
                loc.get("artifactLocation", {}).get("uri"),
                loc.get("region", {}).get("startLine"),
                loc.get("region", {}).get("startColumn"),
                len(related), steps, bool(prints)))
            # A race's related locations and threads, for FileCheck.
            if flows:
                for l in related:
                    out.append("  related %s %s %s" % (
                        l.get("id"), where(l), l.get("message", {}).get("text")))
                out.extend(flows)
    return out


with open(sys.argv[1]) as f:
    lines = check(json.load(f))
print("\n".join(lines))
print("valid SARIF 2.1.0")
