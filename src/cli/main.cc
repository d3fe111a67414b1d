// nmscds: the command-line program (interfaces.md §7). Parses the command line and dispatches to one
// function per command; everything else lives in cli_*.cc.
#include <CLI/CLI.hpp>

#include <exception>
#include <string>

#include "cli/cli_commands.h"
#include "cli/cli_common.h"

namespace nmscds::cli {
namespace {

// Help lists the subcommands under "Commands".
void GroupCommands(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    sub->group("Commands");
    GroupCommands(*sub);
  }
}

// "nmscds kb show" for the command the parser had reached.
std::string CommandPath(const CLI::App& app) {
  std::string path = "nmscds";
  const CLI::App* cur = &app;
  for (;;) {
    auto subs = cur->get_subcommands();
    if (subs.empty()) break;
    cur = subs.front();
    path += " " + cur->get_name();
  }
  return path;
}

int Main(int argc, char** argv, const ErrorReporter& errors) {
  CLI::App app{"nmscds: clinical decision support for suspected neuroleptic malignant syndrome.", "nmscds"};
  app.get_formatter()->column_width(36);
  app.get_formatter()->label("SUBCOMMAND", "COMMAND");
  bool version_flag = false;
  app.add_flag("--version", version_flag, "Print the versions (same as 'nmscds version')");

  AssessArgs assess_args;
  DoseArgs dose_args;
  KbArgs kb_args;
  VersionArgs version_args;
  ServeArgs serve_args;
  ScreenArgs screen_args;
  CLI::App* assess = AddAssessCommand(app, assess_args);
  CLI::App* screen = AddScreenCommand(app, screen_args);
  CLI::App* serve = AddServeCommand(app, serve_args);
  CLI::App* dose = AddDoseCommand(app, dose_args);
  CLI::App* kb = AddKbCommand(app, kb_args);
  CLI::App* version = AddVersionCommand(app, version_args);
  GroupCommands(app);
  // Set after the commands are added so that they do not inherit it.
  app.footer("Exit status: 0 success (whatever the clinical result), 1 internal error, 2 usage error,\n"
             "3 invalid input (every problem is listed), 4 unreadable input.\n"
             "Run 'nmscds <command> --help' for the options of a command.\n"
             "Decision support only; it does not replace clinical judgement.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return WriteStdout(app.help()) ? 0 : 1;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return 0;
    std::string message = e.what();
    const std::string path = CommandPath(app);
    if (path == "nmscds" && dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
      message += " (commands: assess, screen, serve, dose, kb, version)";
    } else if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && path == "nmscds dose") {
      message = "name the drug: dantrolene, bromocriptine or amantadine";
    } else if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && path == "nmscds kb") {
      message = "name the action: list, show or verify";
    }
    return errors.Usage(message + "; see '" + path + " --help'");
  }

  if (version_flag) return RunVersion(version_args, errors);
  if (assess->parsed()) return RunAssess(assess_args, errors);
  if (dose->parsed()) return RunDose(dose_args, errors);
  if (kb->parsed()) return RunKb(kb_args, errors);
  if (version->parsed()) return RunVersion(version_args, errors);
  if (serve->parsed()) return RunServe(serve_args, errors);
  if (screen->parsed()) return RunScreen(screen_args, errors);
  return errors.Usage("a command is required (assess, screen, serve, dose, kb or version); see 'nmscds --help'");
}

}  // namespace
}  // namespace nmscds::cli

int main(int argc, char** argv) {
  nmscds::cli::ErrorReporter errors(nmscds::cli::ArgvRequestsJson(argc, argv));
  try {
    return nmscds::cli::Main(argc, argv, errors);
  } catch (const std::exception& e) {
    return errors.Internal(e.what());
  } catch (...) {
    return errors.Internal("unexpected failure");
  }
}
