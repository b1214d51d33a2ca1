### The public campaign page (jauge build, jauge serve).

# The link to the page with the code to paste the gauge elsewhere.
embed = Dieses Spendenbarometer einbinden
# The webmaster's page (embed.html): its title; where its figures come from ($status: the
# status document's link); its headings and notes; $size the snippet's size in KB; $image and
# $option a file's link and a command's option, shown as code.
embed-title = { $name }: das Spendenbarometer einbinden
embed-intro = Jede Zahl unten stammt aus { $status }. Kopieren Sie den Code unter jedem Element; ersetzen Sie relative Adressen durch die öffentliche Adresse dieses Ordners, wenn Sie ihn auf einer anderen Website einfügen.
live-heading = Live-Barometer (eine Seite, die Skripte ausführt)
snippet-heading = Statischer Ausschnitt (ein CMS, ein Newsletter, ein RSS-Feed)
snippet-intro = Kein Skript und kein Stylesheet nötig. Wo das Skript des Widgets ebenfalls auf der Seite ist, wird daraus an Ort und Stelle das Live-Barometer.
snippet-code = Der Code des Ausschnitts ({ $size } KB: jeder Stil steht inline)
mail-heading = Newsletter (E-Mail)
mail-intro = E-Mail-Programme verwerfen SVG und Stylesheets: Diese Form besteht aus Tabellen, Inline-Farben und einem PNG der Szene ({ $image }, in doppelter Größe). Fügen Sie sie mit der öffentlichen Adresse dieses Ordners als { $option } in einen Newsletter ein, damit die Adresse des Bildes absolut ist.
mail-code = Der Code der Newsletter-Form
badge-heading = Badge (eine README, ein Forum)
card-heading = Social Card (Linkvorschauen)
charts-heading = Diagramme
# After a chart's file name: its PNG copy too.
and-png = (und .png)
