### The public campaign page (jauge build, jauge serve).

# The link to the page with the code to paste the gauge elsewhere.
embed = Incorpora questo indicatore
# The webmaster's page (embed.html): its title; where its figures come from ($status: the
# status document's link); its headings and notes; $size the snippet's size in KB; $image and
# $option a file's link and a command's option, shown as code.
embed-title = { $name }: incorporare l’indicatore
embed-intro = Ogni cifra qui sotto viene da { $status }. Copia il codice sotto ciascuna; sostituisci gli indirizzi relativi con l’indirizzo pubblico di questa cartella se lo incolli su un altro sito.
live-heading = Indicatore in tempo reale (una pagina che esegue script)
snippet-heading = Frammento statico (un CMS, una newsletter, un feed RSS)
snippet-intro = Nessuno script e nessun foglio di stile. Dove anche lo script del widget è sulla pagina, diventa sul posto l’indicatore in tempo reale.
snippet-code = Il codice del frammento ({ $size } KB: ogni stile è in linea)
mail-heading = Newsletter (e-mail)
mail-intro = I programmi di posta scartano SVG e fogli di stile: questa forma è fatta di tabelle, colori in linea e un PNG della scena ({ $image }, al doppio della sua dimensione). Incollala in una newsletter con l’indirizzo pubblico di questa cartella come { $option }, così l’indirizzo dell’immagine è assoluto.
mail-code = Il codice della forma per newsletter
badge-heading = Badge (un README, un forum)
card-heading = Scheda social (anteprime dei link)
charts-heading = Grafici
# After a chart's file name: its PNG copy too.
and-png = (e .png)
