#pragma once
// Pieces of the report JSON writer (report_json.cc) that other outputs reuse, so a regimen is written one way
// everywhere (report.schema.json $defs/dantrolene_regimen and $defs/regimen).
#include "common/json_writer.h"
#include "nmscds/report.h"

namespace nmscds {

void WriteDantroleneRegimen(JsonWriter& w, const DantroleneRegimen& regimen);
void WriteAlternativeRegimen(JsonWriter& w, const AlternativeRegimen& regimen);

}  // namespace nmscds
