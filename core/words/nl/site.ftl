### The public campaign page (jauge build, jauge serve).

# The link to the page with the code to paste the gauge elsewhere.
embed = Deze meter insluiten
# The webmaster's page (embed.html): its title; where its figures come from ($status: the
# status document's link); its headings and notes; $size the snippet's size in KB; $image and
# $option a file's link and a command's option, shown as code.
embed-title = { $name }: de meter insluiten
embed-intro = Elk cijfer hieronder komt uit { $status }. Kopieer de code onder elk onderdeel; vervang relatieve adressen door het openbare adres van deze map als je het op een andere site plakt.
live-heading = Live meter (een pagina die scripts uitvoert)
snippet-heading = Statisch fragment (een CMS, een nieuwsbrief, een RSS-feed)
snippet-intro = Geen script en geen stylesheet nodig. Waar het script van de widget ook op de pagina staat, wordt het ter plekke de live meter.
snippet-code = De code van het fragment ({ $size } KB: elke stijl staat inline)
mail-heading = Nieuwsbrief (e-mail)
mail-intro = E-mailprogramma’s laten SVG en stylesheets weg: deze vorm bestaat uit tabellen, inline kleuren en een PNG van de scène ({ $image }, op dubbele grootte). Plak hem in een nieuwsbrief met het openbare adres van deze map als { $option }, zodat het adres van de afbeelding absoluut is.
mail-code = De code van de nieuwsbriefvorm
badge-heading = Badge (een README, een forum)
card-heading = Social card (linkvoorbeelden)
charts-heading = Grafieken
# After a chart's file name: its PNG copy too.
and-png = (en .png)
