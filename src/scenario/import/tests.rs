//! Each bad case of an imported file gives an error naming the file and line and saying what
//! is valid; the handled cases (duplicates, self-loops) are counted.

use super::csv::read_csv_pair;
use super::graphml::read_graphml;
use super::*;
use std::path::Path;

const NODES: &str = "id,role\nA,teacher\nB,parent\nC,student\n";

fn csv(nodes: &str, edges: &str) -> Result<SurveyNetwork, ImportError> {
    read_csv_pair(
        (Path::new("people.csv"), nodes),
        (Path::new("ties.csv"), edges),
    )
}

fn graphml(body: &str) -> Result<SurveyNetwork, ImportError> {
    let text = format!(
        "<?xml version=\"1.0\"?>\n<graphml>\n<key id=\"d0\" for=\"node\" attr.name=\"role\"/>\n\
         <graph edgedefault=\"undirected\">\n{body}</graph>\n</graphml>\n"
    );
    read_graphml(Path::new("school.graphml"), &text)
}

/// The error's file, line and message.
fn failure(result: Result<SurveyNetwork, ImportError>) -> (String, Option<usize>, String) {
    let err = result.expect_err("the file is refused");
    (
        err.file.display().to_string(),
        err.line,
        err.problem.to_string(),
    )
}

#[test]
fn a_csv_pair_is_read_with_quotes_crlf_comments_blank_lines_and_any_case() {
    let nodes =
        "# survey of May\r\nID , Role\r\n\r\n\"A\",Teacher\r\nB,\"other school\"\r\nC,student\r\n";
    let edges =
        "Source,TARGET,Weight,note\n# comment\nA,B,0.8,\"met at the fair, twice\"\n\nB,C,,\n";
    let network = csv(nodes, edges).expect("valid files");
    assert_eq!(network.ids, ["A", "B", "C"]);
    assert_eq!(
        network.roles,
        [Role::Teacher, Role::OtherSchool, Role::Student]
    );
    assert_eq!(network.ties, [(0, 1), (1, 2)]);
    assert_eq!(network.strengths, [Some(0.8), None]);
}

#[test]
fn from_and_to_columns_are_accepted() {
    let network = csv(NODES, "from,to\nA,C\n").expect("valid files");
    assert_eq!(network.ties, [(0, 2)]);
    assert!(network.strengths.is_empty());
}

#[test]
fn duplicate_and_reverse_ties_are_merged_and_counted() {
    let edges = "source,target,strength\nA,B,0.2\nB,A,0.6\nA,B,\nB,C,\n";
    let network = csv(NODES, edges).expect("valid files");
    assert_eq!(network.ties, [(0, 1), (1, 2)]);
    assert_eq!(network.duplicate_ties, 2);
    assert_eq!(
        network.strengths,
        [Some(0.6), None],
        "the strongest is kept"
    );
}

#[test]
fn self_loops_are_dropped_and_counted() {
    let network = csv(NODES, "source,target\nA,A\nA,B\nC,C\n").expect("valid files");
    assert_eq!(network.ties, [(0, 1)]);
    assert_eq!(network.self_loops, 2);
}

#[test]
fn a_dangling_id_names_the_line_the_end_and_the_nearest_id() {
    let (file, line, message) = failure(csv(NODES, "source,target\nA,B\nA,Bb\n"));
    assert_eq!((file.as_str(), line), ("ties.csv", Some(3)));
    assert!(message.contains("target `Bb` is not a node of the nodes file people.csv"));
    assert!(message.contains("Did you mean `B`?"), "{message}");
}

#[test]
fn an_unknown_role_lists_the_roles_and_suggests_one() {
    let (file, line, message) = failure(csv("id,role\nA,teacher\nB,techer\n", "source,target\n"));
    assert_eq!((file.as_str(), line), ("people.csv", Some(3)));
    assert!(message.contains("unknown role `techer`. Did you mean `teacher`?"));
    assert!(
        message.contains("Valid roles: principal, teacher,"),
        "{message}"
    );
}

#[test]
fn missing_columns_and_missing_roles_are_named() {
    let (_, line, message) = failure(csv("id,kind\nA,teacher\n", "source,target\n"));
    assert_eq!(line, Some(1));
    assert_eq!(
        message,
        "the header is `id,kind`; it must name the column role"
    );
    let (_, _, message) = failure(csv(NODES, "a,b\nA,B\n"));
    assert!(message.contains("must name the columns source, target (or from, to)"));
    let (_, line, message) = failure(csv("id,role\nA,teacher\nB,\n", "source,target\n"));
    assert_eq!(line, Some(3));
    assert!(message.starts_with("node `B` has no role"), "{message}");
}

#[test]
fn a_duplicate_node_id_names_both_lines() {
    let (_, line, message) = failure(csv(
        "id,role\nA,teacher\nB,parent\nA,parent\n",
        "source,target\n",
    ));
    assert_eq!(line, Some(4));
    assert!(message.contains("node `A` is listed twice (first on line 2)"));
}

#[test]
fn empty_files_and_files_without_nodes_are_refused() {
    let (file, _, message) = failure(csv("", "source,target\n"));
    assert_eq!(file, "people.csv");
    assert!(message.starts_with("the file is empty"), "{message}");
    let (_, _, message) = failure(csv(NODES, "\n\n"));
    assert!(message.starts_with("the file is empty"), "{message}");
    let (file, _, message) = failure(csv("id,role\n# nobody answered\n", "source,target\n"));
    assert_eq!(file, "people.csv");
    assert!(message.starts_with("lists no nodes"), "{message}");
}

#[test]
fn a_row_with_too_few_fields_and_a_bad_strength_name_their_line() {
    let (_, line, message) = failure(csv(NODES, "source,target\nA,B\nC\n"));
    assert_eq!(
        (line, message.as_str()),
        (Some(3), "1 fields, but the header has 2")
    );
    let (_, line, message) = failure(csv(NODES, "source,target,strength\nA,B,1.5\n"));
    assert_eq!(line, Some(2));
    assert!(message.starts_with("the strength `1.5` is not a number in [0, 1]"));
}

#[test]
fn graphml_is_read_edges_before_nodes_directed_as_undirected_and_entities_decoded() {
    let body = "<edge source=\"a&amp;b\" target=\"c\"/>\n<edge source=\"c\" target=\"a&amp;b\"/>\n\
                <node id=\"a&amp;b\"><data key=\"d0\">Teacher</data></node>\n\
                <node id=\"c\"><data key=\"d0\"><![CDATA[parent]]></data></node>\n\
                <node id=\"d\"><data key=\"d0\">stud&#101;nt</data></node>\n";
    let network = graphml(body).expect("valid GraphML");
    assert_eq!(network.ids, ["a&b", "c", "d"]);
    assert_eq!(network.roles, [Role::Teacher, Role::Parent, Role::Student]);
    assert_eq!(network.ties, [(0, 1)]);
    assert_eq!(network.duplicate_ties, 1);
}

#[test]
fn graphml_errors_name_the_line() {
    let (_, line, message) = failure(graphml(
        "<node id=\"a\"><data key=\"d0\">teacher</data></node>\n<edge source=\"a\" target=\"z\"/>\n",
    ));
    assert_eq!(line, Some(6));
    assert!(message.contains("target `z` is not a node of this file's <node> elements"));
    let (_, line, message) = failure(graphml("<node id=\"a\"/>\n"));
    assert_eq!(line, Some(5));
    assert!(message.starts_with("node `a` has no role"), "{message}");
    let (_, line, message) = failure(graphml(
        "<node id=\"a\"><data key=\"d0\">teacher</data>\n</nod>\n",
    ));
    assert_eq!(line, Some(6));
    assert!(
        message.starts_with("this is not well-formed XML"),
        "{message}"
    );
    let (_, _, message) = failure(graphml(""));
    assert!(message.starts_with("lists no nodes"), "{message}");
}

#[test]
fn graphml_without_a_role_key_or_cut_short_is_refused() {
    let text = "<graphml><graph><node id=\"a\"/></graph></graphml>";
    let err = read_graphml(Path::new("g.graphml"), text).expect_err("no role key");
    assert!(
        err.problem
            .to_string()
            .contains("declares no node attribute `role`")
    );
    let text = "<graphml><key id=\"r\" for=\"node\" attr.name=\"role\"/><graph>\n<node id=\"a\"><data key=\"r\">teacher</data></node>\n";
    let err = read_graphml(Path::new("g.graphml"), text).expect_err("cut short");
    assert!(err.problem.to_string().contains("ends before"), "{err}");
    let err = read_graphml(Path::new("g.graphml"), "<html/>").expect_err("not GraphML");
    assert!(err.problem.to_string().contains("not GraphML"), "{err}");
    let err = read_graphml(Path::new("g.graphml"), " \n").expect_err("empty");
    assert!(err.problem.to_string().starts_with("the file is empty"));
}

#[test]
fn agents_are_numbered_role_by_role_in_file_order() {
    let nodes = "id,role\np1,parent\nt1,teacher\np2,parent\ns1,student\n";
    let edges = "source,target\np1,t1\ns1,p2\ns1,p1\n";
    let survey = csv(nodes, edges).expect("valid files");
    let network = ImportedNetwork::from_survey(survey, Vec::new());
    // Canonical order teacher, student, parent: t1 = 0, s1 = 1, p1 = 2, p2 = 3.
    assert_eq!(
        network.counts,
        [(Role::Teacher, 1), (Role::Student, 1), (Role::Parent, 2)]
    );
    assert_eq!(network.ties, [(2, 0), (3, 1), (2, 1)]);
    assert_eq!(network.family, [(1, 2)], "the lowest-numbered parent named");
    assert_eq!(*network.density.get(Role::Student, Role::Parent), 1.0);
    assert_eq!(*network.density.get(Role::Teacher, Role::Parent), 0.5);
    assert_eq!(*network.density.get(Role::Parent, Role::Parent), 0.0);
}

#[test]
fn fnv1a64_matches_the_published_test_vectors() {
    assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
}
