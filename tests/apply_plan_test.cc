// Tests for sslbind/apply_plan.h: the plan of `apply`.
#include "sslbind/apply_plan.h"

#include <doctest/doctest.h>

#include "test_util.h"

namespace sslbind {
namespace {

using testing::Key;

constexpr const char* kAppId = "{00112233-4455-6677-8899-aabbccddeeff}";

Binding Ccs(std::string_view port,
            std::vector<std::pair<Param, std::string>> params = {}) {
  BindingPatch patch;
  REQUIRE(patch.SetText(Param::kAppId, kAppId).ok());
  for (auto& [param, text] : params) REQUIRE(patch.SetText(param, text).ok());
  Result<Binding> b = MakeBinding(Key(BindingKind::kCcs, port), patch);
  REQUIRE(b.ok());
  return *b;
}

using Action = PlanEntry::Action;

TEST_CASE(
    "a plan adds, updates, keeps and (with prune) removes, in key order") {
  std::vector<Binding> current = {Ccs("444"), Ccs("443"), Ccs("445")};
  std::vector<Binding> desired = {
      Ccs("446"), Ccs("443"),
      Ccs("444",
          {{Param::kReject, "enable"}, {Param::kUrlRetrievalTimeout, "5"}})};

  Result<ApplyPlan> plan = PlanApply(current, desired, /*prune=*/true);
  REQUIRE(plan.ok());
  REQUIRE(plan->entries.size() == 4);
  CHECK(plan->entries[0].action == Action::kUnchanged);
  CHECK(plan->entries[0].key.ToParam() == "ccs=443");
  CHECK(!plan->entries[0].op_index);
  CHECK(plan->entries[1].action == Action::kUpdate);
  REQUIRE(plan->entries[1].changes.size() == 2);
  CHECK(plan->entries[1].changes[0].param == Param::kUrlRetrievalTimeout);
  CHECK(plan->entries[1].changes[0].old_value == ParamValue(uint32_t{0}));
  CHECK(plan->entries[1].changes[0].new_value == ParamValue(uint32_t{5}));
  CHECK(plan->entries[1].changes[1].param == Param::kReject);
  CHECK(plan->entries[2].action == Action::kRemove);
  CHECK(plan->entries[2].key.ToParam() == "ccs=445");
  CHECK(plan->entries[3].action == Action::kAdd);
  CHECK(plan->entries[3].op_index == 2u);
  CHECK(plan->added == 1);
  CHECK(plan->updated == 1);
  CHECK(plan->unchanged == 1);
  CHECK(plan->removed == 1);

  const WriteBatch& batch = plan->batch;
  REQUIRE(batch.size() == 3);
  CHECK(batch.type(0) == WriteBatch::OpType::kUpdate);
  CHECK(batch.type(1) == WriteBatch::OpType::kDelete);
  CHECK(batch.type(2) == WriteBatch::OpType::kAdd);
}

TEST_CASE(
    "without prune, bindings that are not wanted are left alone and not "
    "listed") {
  Result<ApplyPlan> plan = PlanApply({Ccs("443"), Ccs("445")}, {Ccs("443")},
                                     /*prune=*/false);
  REQUIRE(plan.ok());
  REQUIRE(plan->entries.size() == 1);
  CHECK(plan->in_place());
  CHECK(plan->removed == 0);
}

TEST_CASE("applying a plan's batch leaves nothing to do") {
  std::vector<Binding> current = {Ccs("443", {{Param::kReject, "enable"}})};
  std::vector<Binding> desired = {Ccs("443"), Ccs("8443")};
  Result<ApplyPlan> plan = PlanApply(current, desired, true);
  REQUIRE(plan.ok());
  CHECK(!plan->in_place());
  // Apply the batch by hand, as a store would.
  struct ByHand : WriteBatch::Handler {
    Status Add(const Binding& binding) override {
      after.push_back(binding);
      return Status::Ok();
    }
    Status Update(const BindingKey& key, const BindingPatch& patch) override {
      for (Binding& b : after) {
        if (b.key != key) continue;
        Status s = patch.ApplyTo(b);
        if (!s.ok()) return s;
      }
      return Status::Ok();
    }
    std::vector<Binding> after;
  } by_hand;
  by_hand.after = current;
  REQUIRE(plan->batch.Iterate(&by_hand).ok());
  std::vector<Binding> after = std::move(by_hand.after);
  Result<ApplyPlan> again = PlanApply(after, desired, true);
  REQUIRE(again.ok());
  CHECK(again->in_place());
  CHECK(again->unchanged == 2);
}

TEST_CASE("flag bits without a parameter are neither compared nor changed") {
  Binding with_raw_bit = Ccs("443");
  with_raw_bit.flags |= kFlagNoRawFilter;
  Result<ApplyPlan> plan = PlanApply({with_raw_bit}, {Ccs("443")}, true);
  REQUIRE(plan.ok());
  CHECK(plan->in_place());
}

TEST_CASE(
    "every named parameter that differs makes an update, and only those") {
  // One binding per parameter, differing from the default in that one.
  for (const ParamInfo& info : AllParams()) {
    CAPTURE(info.name);
    Binding changed = Ccs("443");
    ParamValue value;
    switch (info.type) {
      case ParamType::kHex: continue;  // not allowed on ccs; covered above
      case ParamType::kGuid:
        value = std::string("{ffffffff-4455-6677-8899-aabbccddeeff}");
        break;
      case ParamType::kString: value = std::string("X"); break;
      case ParamType::kNumber: value = uint32_t{7}; break;
      default: value = !std::get<bool>(GetParam(changed, info.id));
    }
    REQUIRE(SetParam(changed, info.id, value).ok());
    Result<ApplyPlan> plan = PlanApply({Ccs("443")}, {changed}, false);
    REQUIRE(plan.ok());
    REQUIRE(plan->updated == 1);
    REQUIRE(plan->entries[0].changes.size() == 1);
    CHECK(plan->entries[0].changes[0].param == info.id);
  }
}

TEST_CASE("a key wanted twice is refused") {
  Result<ApplyPlan> plan = PlanApply({}, {Ccs("443"), Ccs("443")}, false);
  REQUIRE(!plan.ok());
  CHECK(plan.status().message() == "ccs=443 is wanted twice");
}

TEST_CASE("action names are the words of the plan") {
  CHECK(PlanActionName(Action::kAdd) == "add");
  CHECK(PlanActionName(Action::kRemove) == "remove");
}

}  // namespace
}  // namespace sslbind
