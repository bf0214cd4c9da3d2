// "What if this packet were dropped / delayed / duplicated?": a fault entry selecting exactly
// that packet, added to a copy of the scenario (a text edit, so the teacher's comments survive).
#pragma once
#include <string>

#include "viz/commands.hpp"
#include "viz/trace_view.hpp"

namespace netstep::viz {

// "- drop: { from: web, to: laptop, flags: SYN+ACK, nth: 1 }" for the packet's hop.
std::string fault_entry(const TraceView& view, uint32_t packet, Fault fault);
// The scenario text with `entry` appended to its top-level `faults:` list (created if absent).
std::string add_fault(const std::string& yaml, const std::string& entry);
// Writes `text` to a new file named after `original` in the temp directory; returns its path.
std::string write_scenario_copy(const std::string& original, const std::string& text);

}  // namespace netstep::viz
