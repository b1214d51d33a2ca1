### The public campaign page (jauge build, jauge serve).

# The link to the page with the code to paste the gauge elsewhere.
embed = Insertar este medidor
# The webmaster's page (embed.html): its title; where its figures come from ($status: the
# status document's link); its headings and notes; $size the snippet's size in KB; $image and
# $option a file's link and a command's option, shown as code.
embed-title = { $name }: insertar el medidor
embed-intro = Cada cifra de abajo viene de { $status }. Copia el código bajo cada una; sustituye las direcciones relativas por la dirección pública de esta carpeta si lo pegas en otro sitio.
live-heading = Medidor en directo (una página que ejecuta scripts)
snippet-heading = Fragmento estático (un CMS, un boletín, un canal RSS)
snippet-intro = Sin script ni hoja de estilos. Donde el script del widget también está en la página, se convierte en el medidor en directo, en el mismo lugar.
snippet-code = El código del fragmento ({ $size } KB: cada estilo va en línea)
mail-heading = Boletín (correo electrónico)
mail-intro = Los clientes de correo descartan el SVG y las hojas de estilos: esta forma son tablas, colores en línea y un PNG de la escena ({ $image }, al doble de su tamaño). Pégala en un boletín con la dirección pública de esta carpeta como { $option }, para que la dirección de la imagen sea absoluta.
mail-code = El código de la forma para boletines
badge-heading = Insignia (un README, un foro)
card-heading = Tarjeta social (vistas previas de enlaces)
charts-heading = Gráficos
# After a chart's file name: its PNG copy too.
and-png = (y .png)
