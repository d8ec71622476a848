/* threat.h - a rule's MITRE ATT&CK mapping, as the ECS threat.* object */
#ifndef THREAT_H
#define THREAT_H

#include <stdbool.h>

#include "json.h"
#include "rule.h"

/*
 * Write the member threat (a comma first when *more, which then becomes
 * true) for r's mapping: framework, then tactic, technique and
 * technique.subtechnique, each with three parallel arrays id, name and
 * reference holding one entry per distinct id in the rule's order (a
 * missing name or reference is ""). Nothing when r has no entry.
 */
void threat_put(struct json *w, bool *more, const struct rule_meta *r);

#endif /* THREAT_H */
