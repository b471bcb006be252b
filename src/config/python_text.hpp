#pragma once

// How LiteLLM (Python, PyYAML) would turn a YAML value back into text. Needed only to
// reproduce LiteLLM's deployment ids byte for byte (see deployment_id.hpp): PyYAML types a
// plain scalar by YAML 1.1 rules, then LiteLLM calls str() or json.dumps() on it.

#include <yaml-cpp/yaml.h>

#include <string>

#include "text/python_float.hpp"

namespace llmux::config::detail {

// Python's str(value): "True", "None", "30", "0.5", "['a', 'b']", "{'k': 1}".
std::string python_str(const YAML::Node& value);

// Python's json.dumps(value) with its defaults: ", " and ": " separators, ensure_ascii.
std::string python_json_dumps(const YAML::Node& value);

using text::python_float_repr;

}  // namespace llmux::config::detail
