"""A small list of first names common in the Netherlands, for the personal-data check.

Not a register of people: it makes the check notice "Sanne zei…" as well as "Sanne de Vries".
Names that are also everyday capitalised words in a sentence (May, Will, Hope) are left out.
"""

from __future__ import annotations

_NAMES = """
    Aaliyah Abdel Abdelkader Adam Ahmed Aisha Amal Amber Amina Amir Amy Anna Anne Annemarie Annemieke
    Anouk Anton Ayoub Bart Bas Bastiaan Bea Bilal Bram Britt Carla Caroline Chantal Charlotte Chris
    Cor Corinne Daan Dani Danny Dave David Demi Dennis Dewi Dirk Djamila Dylan Ed Eline Elif Elise
    Ellen Els Emma Erik Esra Esther Eva Evi Fatima Fatma Femke Fenna Fleur Floor Frank Freek Gijs
    Guus Hamza Hanna Hans Hasan Hatice Henk Ilse Imane Inge Ingrid Iris Ivo Jaap Jamal Jan Janneke
    Jasmijn Jasper Jeroen Jesse Joost Jordy Joris Josje Julia Julian Karin Kees Kevin Khadija Kim
    Koen Lars Laura Lieke Linda Lisa Lisanne Liza Loes Lotte Luca Lucas Luuk Maaike Manon Marieke
    Marjolein Mark Marleen Martijn Maryam Max Mehmet Meryem Milan Mila Mohamed Mohammed Monique
    Mustafa Nadia Naima Nina Noah Noor Nora Olivia Omar Patrick Peter Petra Pieter Priscilla
    Rachid Rik Rob Robin Roos Ruben Rutger Saar Said Sam Samira Sander Sanne Sara Sarah Sem Sevda
    Simone Sophie Stefan Stijn Suzanne Tess Thijs Thomas Tim Tom Wendy Wim Willem Yara Yasmina
    Yasmine Yusuf Zeynep Zoë
"""
FIRST_NAMES = frozenset(_NAMES.split())
