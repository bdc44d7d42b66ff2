// How a plan is printed, in apply's words: one line per binding added,
// updated (then one line per parameter, old -> new), unchanged or removed,
// or its JSON entries. Used by apply, diff, rollback and history.
#ifndef SSLBIND_CLI_PLAN_FORMAT_H_
#define SSLBIND_CLI_PLAN_FORMAT_H_

#include <string>

#include "show_format.h"
#include "sslbind/apply_plan.h"

namespace sslbind::cli {

// A parameter value as netsh takes it: enable/disable, a number, the text,
// or (null) for an absent value.
std::string ValueText(const ParamValue& v);
Json ValueJson(const ParamValue& v);

// The plan's lines; without `unchanged`, the unchanged entries are left out.
std::string PlanLines(const ApplyPlan& plan, bool unchanged = true);
// The plan's entries as JSON objects: {"action":..,"key":{..},"changes":..}.
Json PlanEntriesJson(const ApplyPlan& plan, bool unchanged = true);

// "disablehttp2 disable -> enable, ..." : what changes from `before` to
// `after` (two bindings with the same key).
std::string ChangedParamsText(const Binding& before, const Binding& after);

// "3 added" / "1 binding".
std::string Count(size_t n, const char* what);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_PLAN_FORMAT_H_
