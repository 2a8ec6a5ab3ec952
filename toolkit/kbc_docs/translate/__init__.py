"""The translator's round trip: export the texts a content file needs in Khmer or Lao, and
merge the translations back.

A clerk writes the Vietnamese; a translator supplies the partner language in a CAT tool (XLIFF)
or in Word (a two-column table), never in YAML. The modules, in the order a round trip uses
them:

* :mod:`.texts` — the texts of one content file, one unit per text, with context and state;
* :mod:`.glossary` — recurring terms from the registry and the language files (TBX);
* :mod:`.xliff` and :mod:`.table` — write and read the two exchange formats;
* :mod:`.state` — which Vietnamese each imported translation was made from;
* :mod:`.merge` — put the translations into the content file, keeping its layout.
"""
