# tests/ux.cmake - the learner's and the instructor's experience (label "ux").
#
#   ux.config            ci.yml and autograding.json are well-formed and say what they must
#   ux.config_says_no    ... and the validator rejects broken copies
#   ux.cli               the learner commands without a terminal (progress, hints, reset,
#                        solution, check --all with JSON and JUnit, tampering)
#   ux.walkthrough       a first lab in a real terminal (tmux; skipped without it)
#   ux.walkthrough_poll  the same with the once-a-second mtime poll instead of inotify
#
# The learner tests use the harness and drivers of this build
# (RACELAB_NO_BUILD: no nested build) and their own temporary work folders.
# They share one lock: a learner check builds into build/check/<lab>/.

set(_ux "${PROJECT_SOURCE_DIR}/tests/ux")
find_program(RACELAB_PYTHON3 python3)

if(RACELAB_PYTHON3)
  add_test(NAME ux.config COMMAND ${RACELAB_PYTHON3} "${_ux}/validate_config.py" "${PROJECT_SOURCE_DIR}")
  add_test(NAME ux.config_says_no COMMAND bash "${_ux}/config_says_no.sh")
  set_tests_properties(ux.config ux.config_says_no PROPERTIES LABELS "ux")
endif()

add_test(NAME ux.cli COMMAND bash "${_ux}/cli.sh" "${PROJECT_BINARY_DIR}")
add_test(NAME ux.walkthrough COMMAND bash "${_ux}/walkthrough.sh" "${PROJECT_BINARY_DIR}")
add_test(NAME ux.walkthrough_poll COMMAND bash "${_ux}/walkthrough.sh" "${PROJECT_BINARY_DIR}" --poll)
set_tests_properties(ux.cli ux.walkthrough ux.walkthrough_poll PROPERTIES
  LABELS "ux" RESOURCE_LOCK racelab_learner_check TIMEOUT 300 SKIP_RETURN_CODE 77)
