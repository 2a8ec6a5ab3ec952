"""The command line's own lines: counts, summaries, files named on it.

The words around each command's results; the results' messages live with their subject.
"""

from kbc_docs.messages.catalogue import N_

MESSAGES: dict[str, str] = {
    "cli_todos": N_("{count} fact(s) to be completed, printed as dotted spaces"),
    "no_such_file_plain": N_("no such file"),
    "not_a_regular_file": N_("not a regular file (a folder or a device); name a file"),
    "cannot_read": N_("cannot read it: {reason}"),
    "file_too_large": N_(
        "larger than {limit} bytes, more than such a file ever is; is it the right file?"
    ),
    "cli_problems": N_("{count} problem(s)"),
    "cli_nothing_written": N_("nothing written for {file}; earlier outputs are untouched"),
    "cli_nothing_written_at_all": N_("nothing written; earlier outputs are untouched"),
    "cli_interrupted": N_("interrupted: nothing more was written; earlier outputs are untouched"),
    "cli_valid": N_("{file} is valid"),
    "cli_up_to_date": N_(
        "{file}: up to date, nothing changed since the last build (--force rebuilds)"
    ),
    "cli_watching": N_("watching {file} and its templates; Ctrl-C stops"),
    "cli_watch_stopped": N_("stopped watching"),
    "cli_valid_draft": N_("{file} is valid as a draft (missing translations are marked)"),
    "cli_draft_gaps": N_("draft: {count} missing translation(s) marked in the output"),
    "cli_unknown_schema": N_("unknown schema '{what}': choose content or registry"),
    "cli_skipped": N_("{file} is a registry, not a conference file: skipped"),
    "cli_summary": N_("built {built}, failed {failed}, skipped {skipped} in {seconds} s"),
    "cli_no_viewer": N_("no program to open PDF files was found; open {file} yourself"),
    "cli_new_todo": N_(
        "{count} place(s) marked to be completed ('todo:'); fill them in, then run: kbc-docs "
        "validate {file}"
    ),
    "new_exists": N_("already exists; choose another name (nothing is overwritten)"),
    "new_not_yaml": N_("a content file name ends in .yaml"),
    "new_no_folder": N_("the folder {folder} does not exist; create it first, or check the path"),
    "new_not_content": N_(
        "not a conference file (a registry, or no 'document:' section); name last year's "
        "conference file with --from"
    ),
    "cli_new_registry": N_(
        "its registry, with the ids the new file uses: write the names of the parties, places "
        'and people in its empty texts ("")'
    ),
    "cli_new_registry_copied": N_("its registry, copied from the folder of {earlier}"),
    "cli_new_draft": N_(
        "meanwhile, kbc-docs build --draft {file} makes a draft with each gap printed as a "
        "dotted space or marked"
    ),
    "cli_new_registry_added": N_(
        "added the entries the new file names and it lacked, copied from {source}: {ids}"
    ),
    "cli_new_registry_lacks": N_(
        "{registry} has no entry for ids the new file names ({ids}): add them to it "
        "('kbc-docs schema registry' lists their fields), or change them in {file} to ids it "
        "has; until then validate and build stop at them"
    ),
    "cli_new_blanks": N_(
        '{count} text(s) left empty ("") for you to write: titles, names and the like, which '
        "the documents cannot do without"
    ),
}
