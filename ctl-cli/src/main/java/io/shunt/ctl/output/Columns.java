package io.shunt.ctl.output;

import java.io.PrintWriter;
import java.util.List;

/** Rows of cells printed as left-aligned columns two spaces apart, the last column unpadded. */
public final class Columns {

    private Columns() {
    }

    public static void print(List<List<String>> rows, PrintWriter out) {
        print(rows, out, "");
    }

    public static void print(List<List<String>> rows, PrintWriter out, String indent) {
        int columns = 0;
        for (List<String> row : rows) {
            columns = Math.max(columns, row.size());
        }
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder s = new StringBuilder(indent);
            for (int i = 0; i < row.size(); i++) {
                s.append(row.get(i));
                if (i < row.size() - 1) {
                    s.append(" ".repeat(widths[i] - row.get(i).length() + 2));
                }
            }
            // A row whose last cells are empty (a direction under its link) leaves no trailing blanks.
            out.println(s.toString().stripTrailing());
        }
    }
}
