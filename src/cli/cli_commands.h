#pragma once
// The commands of the nmscds program (interfaces.md §7). Each command registers its options on the CLI11
// application (Add...Command) and runs from the parsed values (Run...). main.cc only parses and dispatches.
#include <string>
#include <vector>

#include "cli/cli_common.h"
#include "server/server_options.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace nmscds::cli {

// §7.2 nmscds assess
struct AssessArgs {
  std::string file;
  std::string format;  // "" = text on a terminal, else json
  bool compact = false;
  std::string at;
  CLI::Option* at_option = nullptr;
  std::string audit;  // the audit database (interfaces.md §7.2); used when audit_option was given
  CLI::Option* audit_option = nullptr;
  std::string audit_salt_file;  // "" = <audit>.salt (§9.2)
  std::string kb;
  std::string protocol = "standard";
  std::string color = "auto";
};
CLI::App* AddAssessCommand(CLI::App& app, AssessArgs& args);
int RunAssess(const AssessArgs& args, const ErrorReporter& errors);

// §7.5 nmscds dose dantrolene | bromocriptine | amantadine
struct DoseArgs {
  CLI::App* dantrolene = nullptr;
  CLI::App* bromocriptine = nullptr;
  CLI::App* amantadine = nullptr;
  std::string format = "text";
  std::string kb;
  // dantrolene
  std::string weight, indication = "nms", given_24h;
  // amantadine (weight shared)
  std::string crcl, creatinine, age, sex;
  bool dialysis = false;
};
CLI::App* AddDoseCommand(CLI::App& app, DoseArgs& args);
int RunDose(const DoseArgs& args, const ErrorReporter& errors);

// §7.6 nmscds kb list | show ID | verify
struct KbArgs {
  CLI::App* list = nullptr;
  CLI::App* show = nullptr;
  CLI::App* verify = nullptr;
  std::string kb;
  std::string list_format = "text", show_format = "json", verify_format = "text";
  std::string id;
};
CLI::App* AddKbCommand(CLI::App& app, KbArgs& args);
int RunKb(const KbArgs& args, const ErrorReporter& errors);

// §7.3 nmscds screen
struct ScreenArgs {
  std::vector<std::string> paths;
  int threads = 0;  // 0 = the hardware threads
  std::string since, at;
  CLI::Option* since_option = nullptr;
  CLI::Option* at_option = nullptr;
  bool all = false, strict = false;
  std::string output;
  std::string progress = "auto";
  std::string shard;  // "K/N"
  std::string kb;
  std::string protocol = "standard";
};
CLI::App* AddScreenCommand(CLI::App& app, ScreenArgs& args);
int RunScreen(const ScreenArgs& args, const ErrorReporter& errors);

// §7.4 nmscds serve
struct ServeArgs {
  ServerOptions options;
  std::string kb;
};
CLI::App* AddServeCommand(CLI::App& app, ServeArgs& args);
int RunServe(const ServeArgs& args, const ErrorReporter& errors);

// §7.7 nmscds version (also nmscds --version)
struct VersionArgs {
  std::string format = "text";
  std::string kb;
};
CLI::App* AddVersionCommand(CLI::App& app, VersionArgs& args);
int RunVersion(const VersionArgs& args, const ErrorReporter& errors);

}  // namespace nmscds::cli
