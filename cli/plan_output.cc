// The plan of `apply` and `iis sync`: text, JSON and the write.
#include "plan_output.h"

#include <string>

#include "command_error.h"
#include "netsh_line.h"

namespace sslbind::cli {
namespace {

// A parameter value as netsh takes it: enable/disable, a number, the text,
// or (null) for an absent value.
std::string ValueText(const ParamValue& v) {
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "enable" : "disable";
  if (const auto* n = std::get_if<uint32_t>(&v)) return std::to_string(*n);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return "(null)";
}

Json ValueJson(const ParamValue& v) {
  if (const auto* b = std::get_if<bool>(&v)) return *b;
  if (const auto* n = std::get_if<uint32_t>(&v)) return *n;
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return nullptr;
}

std::string Count(size_t n, const char* what) {
  return std::to_string(n) + " " + what;
}

}  // namespace

void WritePlan(Context& ctx, Store& store, const ApplyPlan& plan,
               Progress& progress, std::string_view command) {
  if (plan.in_place()) return;
  size_t failed = kNoFailedOp;
  const WriteOptions write_options{
      .verify_certificates = !ctx.no_verify,
      .progress = progress.Counter(ctx.dry_run ? "checking" : "applying")};
  Status s = ctx.WriteOrCheck(store, plan.batch, write_options, &failed);
  if (s.ok()) return;
  if (failed == kNoFailedOp) throw CommandError::Failed(s);
  ctx.verb = NetshVerb(plan.batch.ops()[failed].type);
  // The plan adds only what was missing and changes only what was there: a
  // key found taken or gone means that another writer changed the store
  // between the plan and the write.
  const bool raced = s.IsAlreadyExists() || s.IsNotFound();
  throw CommandError::Failed(s).WithNote(
      raced ? "nothing was changed; the store changed while the plan was "
              "made: run " +
                  std::string(command) + " again"
            : "nothing was changed: the plan is one transaction");
}

void PrintPlanText(const Context& ctx, const ApplyPlan& plan, bool written,
                   size_t kept) {
  std::string out;
  for (const PlanEntry& e : plan.entries) {
    std::string action(PlanActionName(e.action));
    action.resize(11, ' ');
    out += action + e.key.ToParam() + '\n';
    for (const ParamChange& c : e.changes) {
      out += "             " + std::string(GetParamInfo(c.param).name) + ": " +
             ValueText(c.old_value) + " -> " + ValueText(c.new_value) + '\n';
    }
  }
  std::string kept_note =
      kept == 0
          ? ""
          : "; " + Count(kept, kept == 1 ? "other binding" : "other bindings") +
                " left alone (--prune removes " + (kept == 1 ? "it" : "them") +
                ")";
  if (plan.in_place()) {
    out += "Nothing to change: " +
           Count(plan.unchanged, plan.unchanged == 1 ? "binding" : "bindings") +
           " already in place" + kept_note + ".\n";
  } else if (written) {
    out += "Applied: " + Count(plan.added, "added") + ", " +
           Count(plan.updated, "updated") + ", " +
           Count(plan.removed, "removed") + ", " +
           Count(plan.unchanged, "unchanged") + kept_note + ".\n";
  } else {
    out += "Dry run: " + Count(plan.added, "to add") + ", " +
           Count(plan.updated, "to update") + ", " +
           Count(plan.removed, "to remove") + ", " +
           Count(plan.unchanged, "unchanged") + kept_note +
           "; nothing was written.\n";
  }
  *ctx.out << out;
}

Json PlanToJson(const ApplyPlan& plan, bool written, size_t kept) {
  Json entries = Json::array();
  for (const PlanEntry& e : plan.entries) {
    Json entry = {{"action", PlanActionName(e.action)},
                  {"key", KeyToJson(e.key)}};
    if (!e.changes.empty()) {
      Json changes = Json::object();
      for (const ParamChange& c : e.changes) {
        changes[std::string(GetParamInfo(c.param).name)] = {
            {"old", ValueJson(c.old_value)}, {"new", ValueJson(c.new_value)}};
      }
      entry["changes"] = std::move(changes);
    }
    entries.push_back(std::move(entry));
  }
  const char* status = plan.in_place() ? "in-place"
                       : written       ? "applied"
                                       : "dry-run";
  Json j = {{"status", status},          {"added", plan.added},
            {"updated", plan.updated},   {"unchanged", plan.unchanged},
            {"removed", plan.removed},   {"kept", kept},
            {"plan", std::move(entries)}};
  return j;
}

}  // namespace sslbind::cli
