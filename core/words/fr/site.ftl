### The public campaign page (jauge build, jauge serve).

# The link to the page with the code to paste the gauge elsewhere.
embed = Intégrer cette jauge
# The webmaster's page (embed.html): its title; where its figures come from ($status: the
# status document's link); its headings and notes; $size the snippet's size in KB; $image and
# $option a file's link and a command's option, shown as code.
embed-title = { $name }{"\u00A0"}: intégrer la jauge
embed-intro = Chaque chiffre ci-dessous vient de { $status }. Copiez le code sous chacun{"\u00A0"}; remplacez les adresses relatives par l’adresse publique de ce dossier si vous les collez sur un autre site.
live-heading = Jauge en direct (une page qui exécute des scripts)
snippet-heading = Extrait statique (un CMS, une lettre d’information, un flux RSS)
snippet-intro = Ni script ni feuille de style. Là où le script du widget est aussi sur la page, l’extrait devient la jauge en direct, sur place.
snippet-code = Le code de l’extrait ({ $size }{"\u00A0"}Ko{"\u00A0"}: chaque style est en ligne)
mail-heading = Lettre d’information (courriel)
mail-intro = Les logiciels de courriel ignorent le SVG et les feuilles de style{"\u00A0"}: cette forme est faite de tableaux, de couleurs en ligne et d’une image PNG de la scène ({ $image }, au double de sa taille). Collez-la dans une lettre d’information avec l’adresse publique de ce dossier en { $option }, pour que l’adresse de l’image soit absolue.
mail-code = Le code de la forme pour courriel
badge-heading = Badge (un README, un forum)
card-heading = Carte sociale (aperçus de liens)
charts-heading = Graphiques
# After a chart's file name: its PNG copy too.
and-png = (et .png)
