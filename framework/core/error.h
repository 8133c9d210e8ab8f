// The one exception hierarchy of aelab and the exit codes that mains derive from it.
#pragma once

#include <stdexcept>
#include <string>

namespace aelab {

/// Base of every error aelab raises on purpose; the message is one self-contained line.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A config file, an override or a command line is wrong: the user fixes the input (exit 2).
class ConfigError : public Error {
 public:
  using Error::Error;
};

/// A plugin name is not registered (a kind of config error: exit 2).
class RegistryError : public ConfigError {
 public:
  using ConfigError::ConfigError;
};

/// A data file is missing, corrupt or inconsistent (bad input: exit 2).
class DataError : public Error {
 public:
  using Error::Error;
};

/// Exit code for an exception that reached a main: 2 for bad input, 1 for runtime failures.
int exit_code_for(const std::exception& error);

}  // namespace aelab
