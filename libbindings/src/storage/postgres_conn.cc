// A libpq connection and its errors.
#include "storage/postgres_conn.h"

#include <arpa/inet.h>

#include <cstring>

namespace sslbind::internal {
namespace {

// libpq's messages end with a newline and may run over several lines
// ("DETAIL: ..."): the first line says it.
std::string FirstLine(const char* message) {
  std::string s = message ? message : "";
  size_t end = s.find('\n');
  if (end != std::string::npos) s.resize(end);
  if (s.starts_with("ERROR:  ")) s.erase(0, 8);
  if (s.starts_with("FATAL:  ")) s.erase(0, 8);
  return s.empty() ? "unknown error" : s;
}

void IgnoreNotice(void*, const char*) {}  // the library never prints

}  // namespace

bool IsPostgresUri(std::string_view path) {
  return path.starts_with("postgresql://") || path.starts_with("postgres://");
}

std::string RedactedUri(std::string_view uri) {
  std::string out(uri);
  size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    // As libpq reads it: the user part ends at the first '@' before any
    // '/', whatever else the password holds ('?', '#', ':').
    size_t start = scheme + 3;
    size_t at = out.find_first_of("@/", start);
    if (at != std::string::npos && out[at] == '@') {
      size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) {
        out.replace(colon + 1, at - colon - 1, "***");
      }
    }
  }
  // password=... among the parameters (a host list may be ',' separated,
  // so any '?' or '&' may start one).
  for (size_t p = out.find("password="); p != std::string::npos;
       p = out.find("password=", p + 1)) {
    if (p == 0 || (out[p - 1] != '?' && out[p - 1] != '&')) continue;
    size_t value = p + 9;
    size_t end = out.find('&', value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value,
                "***");
  }
  return out;
}

std::string_view PgBytes(const PGresult* r, int row, int col) {
  return std::string_view(PQgetvalue(r, row, col),
                          static_cast<size_t>(PQgetlength(r, row, col)));
}

int64_t PgInt64(const PGresult* r, int row, int col) {
  uint64_t v = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(PQgetvalue(r, row, col));
  if (PQgetlength(r, row, col) != 8) return 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return static_cast<int64_t>(v);
}

int32_t PgInt32(const PGresult* r, int row, int col) {
  uint32_t v = 0;
  if (PQgetlength(r, row, col) != 4) return 0;
  std::memcpy(&v, PQgetvalue(r, row, col), 4);
  return static_cast<int32_t>(ntohl(v));
}

PgConn::~PgConn() {
  if (conn_ != nullptr) PQfinish(conn_);
}

Status PgConn::Connect(const std::string& uri, const std::string& name) {
  name_ = name;
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(uri.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string why = parse_error ? FirstLine(parse_error) : "out of memory";
    PQfreemem(parse_error);
    return Status::InvalidArgument("the store '" + name +
                                   "' is not a valid PostgreSQL URI: " + why);
  }
  PQconninfoFree(parsed);
  const char* keywords[] = {"dbname", "fallback_application_name", nullptr};
  const char* values[] = {uri.c_str(), "sslbind", nullptr};
  conn_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn_ == nullptr) return Status::IoError("cannot connect: out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    return Status::IoError("cannot open the store '" + name +
                           "': " + FirstLine(PQerrorMessage(conn_)));
  }
  PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
  return Status::Ok();
}

Status PgConn::Error(const PGresult* r, std::string_view what) const {
  if (PQstatus(conn_) != CONNECTION_OK) {
    return Status::IoError(std::string(what) +
                           ": lost the connection to the store '" + name_ +
                           "': " + FirstLine(PQerrorMessage(conn_)));
  }
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string code = state ? state : "";
  std::string message =
      FirstLine(r ? PQresultErrorMessage(r) : PQerrorMessage(conn_));
  std::string text = std::string(what) + ": " + message;
  if (code == "55P03" || code == "40001" || code == "40P01" ||
      code == "57014") {
    return Status::Busy(text);
  }
  if (code == "42501" || code == "25006") return Status::AccessDenied(text);
  if (code.starts_with("08")) {
    return Status::IoError(std::string(what) +
                           ": lost the connection to the store '" + name_ +
                           "': " + message);
  }
  return Status::IoError(text);
}

Result<PgResult> PgConn::Exec(const char* sql, std::span<const PgParam> params,
                              std::string_view what) {
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (const PgParam& p : params) {
    values.push_back(p.data.data() ? p.data.data() : "");
    lengths.push_back(static_cast<int>(p.data.size()));
    formats.push_back(p.binary ? 1 : 0);
  }
  // Text parameters are sent with their length ignored: they must be
  // NUL-terminated, so copy them.
  std::vector<std::string> texts;
  texts.reserve(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].binary) continue;
    texts.emplace_back(params[i].data);
    values[i] = texts.back().c_str();
  }
  // Statements with parameters are prepared once per connection (an import
  // runs the same INSERT 100k times): the server parses and plans it once.
  PgResult r;
  if (params.empty()) {
    r.reset(PQexecParams(conn_, sql, 0, nullptr, nullptr, nullptr, nullptr,
                         /*resultFormat=*/1));
  } else {
    auto [it, added] = prepared_.try_emplace(
        sql, "sslbind_" + std::to_string(prepared_.size()));
    if (added) {
      PgResult made(PQprepare(conn_, it->second.c_str(), sql,
                              static_cast<int>(params.size()), nullptr));
      if (!made || PQresultStatus(made.get()) != PGRES_COMMAND_OK) {
        prepared_.erase(it);
        return Error(made.get(), what);
      }
    }
    r.reset(PQexecPrepared(conn_, it->second.c_str(),
                           static_cast<int>(params.size()), values.data(),
                           lengths.data(), formats.data(),
                           /*resultFormat=*/1));
  }
  ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return Error(r.get(), what);
  }
  return r;
}

Status PgConn::Stream(const char* sql, std::span<const PgParam> params,
                      std::string_view what,
                      const std::function<Status(const PGresult*)>& row) {
  std::vector<std::string> texts;
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  texts.reserve(params.size());
  for (const PgParam& p : params) {
    if (p.binary) {
      values.push_back(p.data.data() ? p.data.data() : "");
    } else {
      texts.emplace_back(p.data);
      values.push_back(texts.back().c_str());
    }
    lengths.push_back(static_cast<int>(p.data.size()));
    formats.push_back(p.binary ? 1 : 0);
  }
  if (!PQsendQueryParams(conn_, sql, static_cast<int>(params.size()), nullptr,
                         values.data(), lengths.data(), formats.data(), 1)) {
    return Error(nullptr, what);
  }
  PQsetSingleRowMode(conn_);
  Status result = Status::Ok();
  bool failed = false;
  while (PGresult* raw = PQgetResult(conn_)) {
    PgResult r(raw);
    ExecStatusType st = PQresultStatus(raw);
    if (failed) continue;  // drain
    if (st == PGRES_SINGLE_TUPLE) {
      try {
        result = row(raw);
      } catch (...) {
        // Leave the connection ready for the next query (a caller turns
        // the exception into a status and goes on).
        while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);
        throw;
      }
      if (!result.ok()) failed = true;
    } else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      result = Error(raw, what);
      failed = true;
    }
  }
  if (!failed && PQstatus(conn_) != CONNECTION_OK) return Error(nullptr, what);
  return result;
}

}  // namespace sslbind::internal
